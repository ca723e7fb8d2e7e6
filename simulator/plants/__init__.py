"""Planted red flags, one module per indicator family, next to near-misses that must not fire.

`simulator.plants.processes` plants the process-level cases (repeat awards, single bidders, short
submission periods, awards close to the base price, contract splitting) while the processes are
modelled; simulator.generator lists them in `ground_truth/planted_processes.csv`. The other modules
plant everything that lives in the other sources, against the award universe of the world
(`simulator.world.Universe`: one award per awarded process, its date and value as the warehouse will
see them):

- contract_values: value additions over the cap, new suppliers' awards at exactly the minimum value;
- supplier_status, disqualification, non_compliance, offers: rows of RUES, SIGEP, SIRI, the PACO
  works register and fiscal bulletin, fines, cancelled contracts, execution lines and offers that
  make chosen awards fire, next to near-misses one day, one peso or one spelling away.

Each planting function picks suppliers no other plant uses (`picker.Picker`), writes the rows into the
plan (`plan.Plan`) and adds the awards the rule flags (evaluated on the planted rows: the background
never fires by construction) to the plan's truth. Everything is deterministic for a seed.
"""
