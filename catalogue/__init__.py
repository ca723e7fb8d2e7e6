"""The source catalogue: every dataset described once.

Ingestion, the Spark cleaning job, the dbt sources and the replay server all read this package; nothing
else lists datasets or their columns. It imports nothing from Dagster so that the simulator and the
Spark job (which receives `Source.cleaning_spec()` as Pipes extras) can use it too.
"""

from catalogue.model import Column, ColumnKind, RowRule, Source, field_name_of
from catalogue.registers import (
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SIRI_SANCIONES,
)
from catalogue.secop import (
    SECOP_I_PROCESOS,
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_EJECUCION,
    SECOP_II_MULTAS,
    SECOP_II_OFERTAS,
    SECOP_II_PROCESOS,
    TVEC_ORDENES,
)

# The order of the source table in docs/sources.md.
SOURCES: tuple[Source, ...] = (
    SECOP_II_PROCESOS,
    SECOP_II_CONTRATOS,
    SECOP_II_OFERTAS,
    SECOP_II_CONTRATOS_CANCELADOS,
    RUES_PERSONAS,
    SECOP_II_MULTAS,
    SECOP_II_EJECUCION,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    SECOP_I_PROCESOS,
    SIRI_SANCIONES,
    TVEC_ORDENES,
)
SOCRATA_SOURCES = tuple(s for s in SOURCES if not s.is_file)
FILE_SOURCES = tuple(s for s in SOURCES if s.is_file)


def source_by_dataset_id(dataset_id: str) -> Source | None:
    """The catalogue entry served under a Socrata id or PACO file name (ids are configuration)."""
    return next((s for s in SOURCES if s.dataset_id == dataset_id), None)


__all__ = [
    "FILE_SOURCES",
    "SOCRATA_SOURCES",
    "SOURCES",
    "Column",
    "ColumnKind",
    "RowRule",
    "Source",
    "field_name_of",
    "source_by_dataset_id",
    "PACO_OBRAS_INCONCLUSAS",
    "PACO_RESPONSABILIDAD_FISCAL",
    "RUES_PERSONAS",
    "SECOP_II_CONTRATOS",
    "SECOP_II_CONTRATOS_CANCELADOS",
    "SECOP_II_EJECUCION",
    "SECOP_II_MULTAS",
    "SECOP_II_OFERTAS",
    "SECOP_II_PROCESOS",
    "SECOP_I_PROCESOS",
    "SIGEP_PEP",
    "SIGEP_PUESTOS_SENSIBLES",
    "SIRI_SANCIONES",
    "TVEC_ORDENES",
]
