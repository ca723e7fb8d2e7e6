"""The source catalogue: every dataset described once.

Ingestion, the Spark cleaning job, the dbt sources and the replay server all read this module; nothing
else lists datasets or their columns. It imports nothing from Dagster so that the simulator and the
Spark job (which receives `Source.cleaning_spec()` as Pipes extras) can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# How a column is cleaned in the trusted zone (spec/sources.md §6) and typed by the replay server.
ColumnKind = Literal[
    "key",  # business key: trimmed; null or empty -> quarantine
    "text",  # trimmed string, empty -> null
    "code",  # platform code (e.g. SECOP supplier code): trimmed, placeholders -> null
    "name",  # person/company name: display upper-cased + `<col>_match` key (accents folded)
    "entity_nit",  # NIT of a public entity: `<col>_key`; letters inside -> quarantine
    "document",  # supplier/person document: `<col>_key`; letters -> null key, noted in _issues
    "date",  # floating timestamp or export date -> date; bad -> null + _issues (main date: quarantine)
    "amount",  # money -> decimal(30,3); unparseable or negative -> quarantine
    "integer",  # counts -> bigint; bad -> null + _issues
    "url",  # Socrata url object {"url": ...} -> the url string
]

# Socrata `dataTypeName` per kind, as the metadata endpoint reports it.
SOCRATA_TYPE: dict[str, str] = {
    "key": "text",
    "text": "text",
    "code": "text",
    "name": "text",
    "entity_nit": "text",
    "document": "text",
    "date": "calendar_date",
    "amount": "number",
    "integer": "number",
    "url": "url",
}


@dataclass(frozen=True)
class Column:
    field_name: str  # API field name (`columns[].fieldName`)
    display_name: str  # CSV-export header (`columns[].name`)
    kind: ColumnKind = "text"

    @property
    def socrata_type(self) -> str:
        return SOCRATA_TYPE[self.kind]

    @property
    def trusted_names(self) -> tuple[str, ...]:
        """The trusted-zone columns this field becomes (the value plus its canonical keys)."""
        derived = {"name": ("_match",), "entity_nit": ("_key",), "document": ("_key",)}.get(self.kind, ())
        extra = ("notice_uid",) if self.kind == "url" else ()
        return (self.field_name, *(self.field_name + s for s in derived), *extra)


@dataclass(frozen=True)
class Source:
    name: str  # our short name: asset keys raw/<name>, trusted/<name>, dbt source table, lake folder
    dataset_id: str  # Socrata 4x4 id
    title: str
    description: str
    key: tuple[str, ...]  # business key of the trusted table (one row per key)
    # Which raw version of a key survives (first wins). System columns are `_source_updated_at`, `_row_id`.
    survivor_order: tuple[str, ...]
    main_date: str  # main business date: unparseable -> quarantine; trusted partitioned by its year
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def field_names(self) -> list[str]:
        return [c.field_name for c in self.columns]

    def cleaning_spec(self) -> dict:
        """Plain-JSON description of the cleaning rules, handed to the Spark job over Pipes."""
        return {
            "name": self.name,
            "dataset_id": self.dataset_id,
            "key": list(self.key),
            "survivor_order": list(self.survivor_order),
            "main_date": self.main_date,
            "columns": [{"field_name": c.field_name, "kind": c.kind} for c in self.columns],
        }


def _columns(*specs: tuple[str, str, ColumnKind] | tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


SECOP_II_PROCESOS = Source(
    name="secop_ii_procesos",
    dataset_id="p6dx-8zbt",
    title="SECOP II - Procesos de Contratación",
    description=(
        "SECOP II procurement processes, one row per process phase/notice version, with the award "
        "fields (adjudicado, supplier, award date and value)."
    ),
    key=("id_del_proceso",),
    survivor_order=("fecha_de_ultima_publicaci desc", "_source_updated_at desc", "_row_id desc"),
    main_date="fecha_de_publicacion_del",
    columns=_columns(
        ("entidad", "Entidad", "name"),
        ("nit_entidad", "Nit Entidad", "entity_nit"),
        ("departamento_entidad", "Departamento Entidad"),
        ("ciudad_entidad", "Ciudad Entidad"),
        ("ordenentidad", "OrdenEntidad"),
        ("codigo_pci", "Entidad Centralizada"),
        ("id_del_proceso", "ID del Proceso", "key"),
        ("referencia_del_proceso", "Referencia del Proceso"),
        ("ppi", "PCI"),
        ("id_del_portafolio", "ID del Portafolio"),
        ("nombre_del_procedimiento", "Nombre del Procedimiento"),
        ("descripci_n_del_procedimiento", "Descripción del Procedimiento"),
        ("fase", "Fase"),
        ("fecha_de_publicacion_del", "Fecha de Publicacion del Proceso", "date"),
        ("fecha_de_ultima_publicaci", "Fecha de Ultima Publicación", "date"),
        ("fecha_de_publicacion", "Fecha de Publicacion (Manifestacion de Interes)", "date"),
        ("precio_base", "Precio Base", "amount"),
        ("modalidad_de_contratacion", "Modalidad de Contratacion"),
        ("justificaci_n_modalidad_de", "Justificación Modalidad de Contratación"),
        ("duracion", "Duracion", "integer"),
        ("unidad_de_duracion", "Unidad de Duracion"),
        ("fecha_de_recepcion_de", "Fecha de Recepcion de Respuestas", "date"),
        ("fecha_de_apertura_de_respuesta", "Fecha de Apertura de Respuesta", "date"),
        ("fecha_de_apertura_efectiva", "Fecha de Apertura Efectiva", "date"),
        ("ciudad_de_la_unidad_de", "Ciudad de la Unidad de Contratación"),
        ("nombre_de_la_unidad_de", "Nombre de la Unidad de Contratación"),
        ("proveedores_invitados", "Proveedores Invitados", "integer"),
        ("proveedores_con_invitacion", "Proveedores con Invitacion Directa", "integer"),
        ("visualizaciones_del", "Visualizaciones del Procedimiento", "integer"),
        ("proveedores_que_manifestaron", "Proveedores que Manifestaron Interes", "integer"),
        ("respuestas_al_procedimiento", "Respuestas al Procedimiento", "integer"),
        ("respuestas_externas", "Respuestas Externas", "integer"),
        ("conteo_de_respuestas_a_ofertas", "Conteo de Respuestas a Ofertas", "integer"),
        ("proveedores_unicos_con", "Proveedores Unicos con Respuestas", "integer"),
        ("numero_de_lotes", "Numero de Lotes", "integer"),
        ("estado_del_procedimiento", "Estado del Procedimiento"),
        ("id_estado_del_procedimiento", "ID Estado del Procedimiento"),
        ("adjudicado", "Adjudicado"),
        ("id_adjudicacion", "ID Adjudicacion"),
        ("codigoproveedor", "CodigoProveedor", "code"),
        ("departamento_proveedor", "Departamento Proveedor"),
        ("ciudad_proveedor", "Ciudad Proveedor"),
        ("fecha_adjudicacion", "Fecha Adjudicacion", "date"),
        ("valor_total_adjudicacion", "Valor Total Adjudicacion", "amount"),
        ("nombre_del_adjudicador", "Nombre del Adjudicador"),
        ("nombre_del_proveedor", "Nombre del Proveedor Adjudicado", "name"),
        ("nit_del_proveedor_adjudicado", "NIT del Proveedor Adjudicado", "document"),
        ("codigo_principal_de_categoria", "Codigo Principal de Categoria"),
        ("estado_de_apertura_del_proceso", "Estado de Apertura del Proceso"),
        ("tipo_de_contrato", "Tipo de Contrato"),
        ("subtipo_de_contrato", "Subtipo de Contrato"),
        ("categorias_adicionales", "Categorias Adicionales"),
        ("urlproceso", "URLProceso", "url"),
        ("codigo_entidad", "Codigo Entidad"),
        ("estado_resumen", "Estado Resumen"),
    ),
)

SOURCES: tuple[Source, ...] = (SECOP_II_PROCESOS,)
SOURCES_BY_DATASET_ID: dict[str, Source] = {s.dataset_id: s for s in SOURCES}
