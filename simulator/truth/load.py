"""The generated files as the trusted zone reads them: the raw tables of the oracle, one per source.

Each table holds the source's columns as the replay server serves them (strings; PACO files through
simulator.paco_files) plus derived key columns computed with the trusted zone's identifier rules
(`spark_jobs.identifiers`: canonical documents, name match keys, placeholders to null).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import (
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SECOP_I_PROCESOS,
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_EJECUCION,
    SECOP_II_MULTAS,
    SECOP_II_OFERTAS,
    SECOP_II_PROCESOS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SIRI_SANCIONES,
    TVEC_ORDENES,
    Source,
)
from simulator import paco_files
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document, combined_document, name_match_key

KeyRule = tuple[str, Callable[[str], str | None]]  # (source column, function of its text)


def trusted_code(value: str) -> str | None:
    """A `code` column as the trusted zone keeps it: trimmed, placeholders and blanks null."""
    text = value.strip()
    return None if text.upper() in PLACEHOLDERS else text


def folded_text(value: str) -> str:
    """dbt macro folded_text: lower case, trimmed, Spanish accents folded."""
    return value.translate(str.maketrans("ÁÉÍÓÚÜÑáéíóúüñ", "AEIOUUNaeiouun")).strip().lower()


def folded_category(value: str) -> str | None:
    """A category as the trusted zone keeps it (trimmed, blank null), folded (`folded_text`)."""
    return folded_text(value) or None


@dataclass(frozen=True)
class RawTable:
    """The columns the oracle reads from a source's file and the key columns it derives from them."""

    source: Source
    columns: str  # space separated
    keys: Mapping[str, KeyRule]


def supplier_keys(document: str, code: str, name: str) -> dict[str, KeyRule]:
    """The derived supplier columns (sup_doc, sup_code, sup_name) of a document, a code and a name column."""
    return {
        "sup_doc": (document, canonical_document),
        "sup_code": (code, trusted_code),
        "sup_name": (name, name_match_key),
    }


def award_keys(order: str, document: str, code: str, name: str) -> dict[str, KeyRule]:
    """The derived columns of a process or a contract: entity_key, order_folded, its supplier's,
    modality_folded."""
    return {
        "entity_key": ("nit_entidad", canonical_document),
        "order_folded": (order, folded_category),
        **supplier_keys(document, code, name),
        "modality_folded": ("modalidad_de_contratacion", folded_text),
    }


RAW_TABLES = {
    "raw_processes": RawTable(
        SECOP_II_PROCESOS,
        "id_del_proceso id_del_portafolio nit_entidad ordenentidad modalidad_de_contratacion adjudicado "
        "nit_del_proveedor_adjudicado codigoproveedor nombre_del_proveedor proveedores_unicos_con "
        "respuestas_al_procedimiento numero_de_lotes precio_base valor_total_adjudicacion "
        "fecha_de_publicacion_del fecha_de_recepcion_de fecha_adjudicacion fecha_de_ultima_publicaci "
        "codigo_principal_de_categoria",
        award_keys("ordenentidad", "nit_del_proveedor_adjudicado", "codigoproveedor", "nombre_del_proveedor"),
    ),
    "raw_contracts": RawTable(
        SECOP_II_CONTRATOS,
        "id_contrato proceso_de_compra nit_entidad orden modalidad_de_contratacion estado_contrato tipodocproveedor "
        "documento_proveedor codigo_proveedor proveedor_adjudicado valor_del_contrato fecha_de_firma "
        "ultima_actualizacion codigo_de_categoria_principal sector",
        {
            **award_keys("orden", "documento_proveedor", "codigo_proveedor", "proveedor_adjudicado"),
            "doc_type_folded": ("tipodocproveedor", folded_category),
            "sector_folded": ("sector", folded_category),
        },
    ),
    "raw_secop_i": RawTable(
        SECOP_I_PROCESOS,
        "uid numero_de_constancia nit_de_la_entidad orden_entidad modalidad_de_contratacion estado_del_proceso "
        "tipo_identifi_del_contratista identificacion_del_contratista nom_razon_social_contratista "
        "fecha_de_firma_del_contrato cuantia_contrato valor_total_de_adiciones ultima_actualizacion",
        {
            "entity_key": ("nit_de_la_entidad", canonical_document),
            "order_folded": ("orden_entidad", folded_category),
            "sup_doc": ("identificacion_del_contratista", canonical_document),
            "sup_name": ("nom_razon_social_contratista", name_match_key),
            "modality_folded": ("modalidad_de_contratacion", folded_text),
            "state_folded": ("estado_del_proceso", folded_text),
            "doc_type_folded": ("tipo_identifi_del_contratista", folded_category),
        },
    ),
    "raw_tvec": RawTable(
        TVEC_ORDENES,
        "identificador_de_la_orden nit_entidad orden_de_la_entidad nit_proveedor proveedor estado fecha total",
        {
            "entity_key": ("nit_entidad", canonical_document),
            "order_folded": ("orden_de_la_entidad", folded_category),
            "sup_doc": ("nit_proveedor", canonical_document),
            "sup_name": ("proveedor", name_match_key),
            "state_folded": ("estado", folded_text),
        },
    ),
    "raw_cancelled": RawTable(
        SECOP_II_CONTRATOS_CANCELADOS,
        "id_contrato documento_proveedor codigo_proveedor proveedor_adjudicado fechamodificacion",
        supplier_keys("documento_proveedor", "codigo_proveedor", "proveedor_adjudicado"),
    ),
    "raw_offers": RawTable(
        SECOP_II_OFERTAS,
        "identificador_de_la_oferta id_del_proceso_de_compra valor_de_la_oferta moneda fecha_de_registro "
        "nit_del_proveedor c_digo_proveedor nombre_proveedor",
        supplier_keys("nit_del_proveedor", "c_digo_proveedor", "nombre_proveedor"),
    ),
    "raw_fines": RawTable(
        SECOP_II_MULTAS,
        "id_proceso id_contrato numero_de_acto numero_de_version as_codigo_proveedor_objeto "
        "nombre_proveedor_objeto_de fecha_evento estado",
        {
            "sup_code": ("as_codigo_proveedor_objeto", trusted_code),
            "sup_name": ("nombre_proveedor_objeto_de", name_match_key),
            "state_folded": ("estado", folded_text),
        },
    ),
    "raw_lines": RawTable(
        SECOP_II_EJECUCION,
        "identificadorcontrato tipoejecucion estado_del_contrato cantidadporrecibir cantidadrecibida "
        "porcentajedeavanceesperado porcentaje_de_avance_real fechadeentregareal fechadeentregaesperada",
        {"type_folded": ("tipoejecucion", folded_text), "state_folded": ("estado_del_contrato", folded_text)},
    ),
    "raw_rues": RawTable(
        RUES_PERSONAS,
        "codigo_camara matricula nit numero_identificacion estado_matricula fecha_matricula fecha_cancelacion "
        "fecha_actualizacion",
        {"nit_key": ("nit", canonical_document), "id_key": ("numero_identificacion", canonical_document)},
    ),
    "raw_pep": RawTable(
        SIGEP_PEP,
        "numero_documento fecha_vinculacion fecha_desvinculacion",
        {"doc_key": ("numero_documento", canonical_document)},
    ),
    "raw_posts": RawTable(
        SIGEP_PUESTOS_SENSIBLES,
        "identificacion_funcionario fecha_vinculacion",
        {"doc_key": ("identificacion_funcionario", canonical_document)},
    ),
    "raw_siri": RawTable(
        SIRI_SANCIONES,
        "numero_identificacion fecha_efectos_juridicos duracion_anos duracion_mes duracion_dias",
        {"doc_key": ("numero_identificacion", canonical_document)},
    ),
    "raw_works": RawTable(
        PACO_OBRAS_INCONCLUSAS,
        "rol_2006 identificacion_2006 nombre_2006 fecha_2011 cod_obra",
        {"doc_key": ("identificacion_2006", canonical_document), "name_key": ("nombre_2006", name_match_key)},
    ),
    "raw_bulletin": RawTable(
        PACO_RESPONSABILIDAD_FISCAL,
        "responsable_fiscal tipo_y_num_docuemento tr",
        {"doc_key": ("tipo_y_num_docuemento", combined_document), "name_key": ("responsable_fiscal", name_match_key)},
    ),
}


def _mapped(values: pa.ChunkedArray | pa.Array, function: Callable[[str], str | None]) -> pa.Array:
    """`function` of every value (null stays null), computed once per distinct value."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    keys = pa.array([None if v is None else function(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return keys.take(encoded.indices)


def _read(out_dir: Path, source: Source, columns: Iterable[str], path: Path | None = None) -> pa.Table:
    if path is not None:
        return pq.read_table(path, columns=list(columns))
    if source.is_file:
        return paco_files.read_file(source, out_dir / "paco" / source.dataset_id).select(list(columns))
    return pq.read_table(out_dir / f"{source.dataset_id}.parquet", columns=list(columns))


def _with_keys(table: pa.Table, keys: Mapping[str, KeyRule]) -> pa.Table:
    """The table plus derived columns: name=(source column, function)."""
    for name, (column, function) in keys.items():
        table = table.append_column(name, _mapped(table[column], function))
    return table


def raw_tables(out_dir: Path, processes_path: Path | None = None) -> dict[str, pa.Table]:
    """{raw table name: table} of the files generated under `out_dir` (the processes file: `processes_path`,
    default `out_dir/p6dx-8zbt.parquet`)."""
    return {
        name: _with_keys(
            _read(
                out_dir,
                raw.source,
                raw.columns.split(),
                processes_path if raw.source is SECOP_II_PROCESOS else None,
            ),
            raw.keys,
        )
        for name, raw in RAW_TABLES.items()
    }
