"""The model of SECOP II processes that `simulator.generator` renders: entities, suppliers, processes."""
