"""The model rendered as the raw strings the Socrata API serves for SECOP II processes, by chunk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from catalogue import SECOP_II_PROCESOS
from simulator.arrow import (
    amount,
    fill,
    join,
    num_or_null,
    number_strings,
    patch,
    substring,
    switch,
    take,
    texts,
    where,
)
from simulator.dates import iso_day
from simulator.processes.model import (
    ENTITY_NAME_WEIGHTS,
    FMT_HIDDEN,
    FMT_HIDDEN_OTHER,
    NULL,
    PERSON,
    ROW_FINAL,
    ROW_OLD_AWARD,
    Entities,
    Model,
    Suppliers,
    year_of,
)
from simulator.vocabulary import (
    CITIES,
    COMPANY_HEADS,
    COMPANY_QUALIFIERS,
    COMPANY_TAILS,
    CONTRACT_TYPES,
    DIRECT_MODALITY,
    DRAFT_STATE,
    DURATION_UNITS,
    FIRST_NAMES,
    HIDDEN_DOCUMENTS,
    LEGAL_FORM_NONE,
    LEGAL_FORMS,
    MANIFESTATION_MODALITIES,
    MODALITIES,
    NO_ADJUDICADO,
    NO_DEFINIDO,
    OBJECTS,
    PURPOSES,
    STATES,
    SURNAMES,
    UNSPSC,
    URL_PREFIX,
    URL_SUFFIX,
    fold_accents,
)

DATE_VOCAB_START = iso_day("2017-01-01")
DATE_VOCAB_END = iso_day("2027-12-31")


SCHEMA = pa.schema([pa.field(name, pa.string()) for name in SECOP_II_PROCESOS.field_names])
# Columns with (nearly) one value per row: parquet dictionary encoding would only cost time.
HIGH_CARDINALITY = frozenset(
    {"id_del_proceso", "id_del_portafolio", "urlproceso", "referencia_del_proceso", "id_adjudicacion"}
)


def _with_folded(words: tuple[str, ...]) -> pa.Array:
    """The words, then the same words with accents folded (index + len(words))."""
    return texts([*words, *(fold_accents(w) for w in words)])


def _date_vocab() -> pa.Array:
    days = np.arange(DATE_VOCAB_START, DATE_VOCAB_END + 1).astype("datetime64[D]")
    return pc.binary_join_element_wise(pa.array(days).cast(pa.string()), "T00:00:00.000", "")


DATES = _date_vocab()
STATE_COLUMNS = {
    name: texts(state[i] for state in STATES)
    for i, name in enumerate(
        (
            "estado_del_procedimiento",
            "id_estado_del_procedimiento",
            "fase",
            "estado_resumen",
            "estado_de_apertura_del_proceso",
        )
    )
}
STATE_OPENED = np.array([state[4] == "Cerrado" for state in STATES])
MODALITY_NAMES = texts(m[0] for m in MODALITIES)
MODALITY_PREFIXES = texts(m[1] for m in MODALITIES)
MODALITY_JUSTIFICATIONS = texts(m[2] for m in MODALITIES)
CONTRACT_NAMES = texts(c[0] for c in CONTRACT_TYPES)
DURATION_NAMES = texts(u[0] for u in DURATION_UNITS)
OBJECT_NAMES = texts(OBJECTS)
DESCRIPTIONS = texts(f"{o} {p} - {city.upper()}" for o in OBJECTS for p in PURPOSES for _, city in CITIES)
CATEGORY_CODES = texts(f"V1.{code}" for code in UNSPSC)

DEPARTMENTS, CITY_NAMES = texts(c[0] for c in CITIES), texts(c[1] for c in CITIES)
HIDDEN_DOCS = texts(HIDDEN_DOCUMENTS)
HEADS, TAILS, QUALIFIERS = _with_folded(COMPANY_HEADS), _with_folded(COMPANY_TAILS), _with_folded(COMPANY_QUALIFIERS)
FIRSTS, SECONDS = _with_folded(FIRST_NAMES), _with_folded(("", *(f" {name}" for name in FIRST_NAMES)))
SURNAME_WORDS = _with_folded(SURNAMES)
FORM_SPELLINGS = texts(spelling for form in LEGAL_FORMS for spelling in form)
FORM_COUNTS = np.array([len(form) for form in LEGAL_FORMS])
FORM_OFFSETS = np.cumsum(FORM_COUNTS) - FORM_COUNTS


def _date(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return take(DATES, days - DATE_VOCAB_START, null)


@dataclass(frozen=True)
class _Chunk:
    """The rows of one chunk with their process attributes gathered."""

    n: int
    entity: np.ndarray
    supplier: np.ndarray  # -1 unless the row is an award with a real supplier
    awarded: np.ndarray  # the row says adjudicado = Si
    state: np.ndarray
    last_day: np.ndarray
    pub_day: np.ndarray
    award_day: np.ndarray
    attrs: dict[str, np.ndarray]


def gather(model: Model, lo: int, hi: int) -> _Chunk:
    rows = {k: v[lo:hi] for k, v in model.rows.items()}
    proc, kind = rows["proc"], rows["kind"]
    procs = model.procs
    awarded = ((kind == ROW_FINAL) & procs.awarded[proc]) | (kind == ROW_OLD_AWARD)
    return _Chunk(
        n=hi - lo,
        entity=procs.entity[proc],
        supplier=np.where(awarded, procs.supplier[proc], -1),
        awarded=awarded,
        state=rows["state"],
        last_day=rows["last_day"],
        pub_day=procs.pub_day[proc],
        award_day=procs.award_day[proc],
        attrs={k: v[proc] for k, v in model.attrs.items()},
    )


def _entity_columns(ents: Entities, c: _Chunk) -> dict[str, pa.Array]:
    e, a = c.entity, c.attrs
    cols = {name: take(values, e) for name, values in ents.columns.items()}
    return {
        **cols,
        "entidad": take(ents.names, e * len(ENTITY_NAME_WEIGHTS) + a["ent_var"]),
        "nit_entidad": take(ents.nits, e * 2 + a["ent_glue"]),
        "ppi": cols["codigo_entidad"],
        "ciudad_de_la_unidad_de": cols["ciudad_entidad"],
        "nombre_del_adjudicador": where(c.awarded, cols["nombre_del_adjudicador"], NO_ADJUDICADO),
    }


def _reference(c: _Chunk) -> pa.Array:
    """'SAMC-012-2023', 'SAMC 012 DE 2023' or 'SAMC0122023', sometimes with the phase appended."""
    a = c.attrs

    def style(k: int, rows: np.ndarray) -> pa.Array:
        prefix = take(MODALITY_PREFIXES, a["modality"][rows])
        seq = pc.utf8_lpad(number_strings(a["ref_seq"][rows]), width=3, padding="0")
        year = number_strings(year_of(c.pub_day[rows]))
        return join(*((prefix, "-", seq, "-", year), (prefix, " ", seq, " DE ", year), (prefix, seq, year))[k])

    return patch(switch(a["ref_style"], style), a["ref_phase"], lambda ref: join(ref, " (Presentación de oferta)"))


def _process_columns(ents: Entities, c: _Chunk, rng: np.random.Generator) -> dict[str, pa.Array]:
    a = c.attrs
    draft = c.state == DRAFT_STATE
    reception = c.pub_day + a["reception"]
    invited = number_strings((a["modality"] == DIRECT_MODALITY).astype(np.uint8))
    zero = pa.repeat("0", c.n)
    description = (a["object"].astype(np.int64) * len(PURPOSES) + a["purpose"]) * len(CITIES) + ents.city[c.entity]
    return {
        "id_del_proceso": join("CO1.REQ.", number_strings(a["req"])),
        "id_del_portafolio": join("CO1.BDOS.", number_strings(a["bdos"])),
        "urlproceso": join(URL_PREFIX, number_strings(a["ntc"]), URL_SUFFIX),
        "referencia_del_proceso": _reference(c),
        "nombre_del_procedimiento": take(OBJECT_NAMES, a["object"]),
        "descripci_n_del_procedimiento": take(DESCRIPTIONS, description),
        **{name: take(values, c.state) for name, values in STATE_COLUMNS.items()},
        "fecha_de_publicacion_del": _date(c.pub_day),
        "fecha_de_ultima_publicaci": _date(c.last_day),
        "fecha_de_publicacion": _date(c.pub_day, ~np.isin(a["modality"], MANIFESTATION_MODALITIES)),
        "precio_base": amount(a["base"], a["base_frac"]),
        "modalidad_de_contratacion": take(MODALITY_NAMES, a["modality"]),
        "justificaci_n_modalidad_de": take(MODALITY_JUSTIFICATIONS, a["modality"]),
        "duracion": number_strings(a["duration"]),
        "unidad_de_duracion": take(DURATION_NAMES, a["duration_unit"]),
        "fecha_de_recepcion_de": _date(reception, draft),
        "fecha_de_apertura_de_respuesta": _date(reception, draft),
        "fecha_de_apertura_efectiva": _date(reception, ~STATE_OPENED[c.state]),
        "proveedores_invitados": invited,
        "proveedores_con_invitacion": invited,
        "visualizaciones_del": number_strings(rng.integers(0, 400, c.n)),
        "proveedores_que_manifestaron": number_strings(a["interested"]),
        "respuestas_al_procedimiento": number_strings(np.where(draft, 0, a["responses"])),
        "respuestas_externas": zero,
        "conteo_de_respuestas_a_ofertas": zero,
        "proveedores_unicos_con": num_or_null(
            np.where(draft, 0, a["unique_bidders"]), ~draft & (a["unique_bidders"] == NULL)
        ),
        "numero_de_lotes": number_strings(a["lots"]),
        "codigo_principal_de_categoria": take(CATEGORY_CODES, a["category"]),
        "tipo_de_contrato": take(CONTRACT_NAMES, a["contract"]),
        "subtipo_de_contrato": pa.repeat(NO_DEFINIDO, c.n),
        "categorias_adicionales": pa.repeat("No definido", c.n),
    }


def _award_columns(c: _Chunk) -> dict[str, pa.Array]:
    a, won = c.attrs, c.awarded
    return {
        "adjudicado": where(won, "Si", "No"),
        "id_adjudicacion": fill(won, number_strings(a["award_id"][won]), NO_ADJUDICADO),
        "fecha_adjudicacion": _date(np.where(won, c.award_day, DATE_VOCAB_START), ~won),
        "valor_total_adjudicacion": fill(won, amount(a["value"][won], a["value_frac"][won]), "0"),
    }


def _dotted(b: pa.Array) -> pa.Array:
    """Digits with thousands separators: 123.456, 52.345.678, 900.123.456, 1.075.226.795."""

    def grouped(groups: int, rows: np.ndarray) -> pa.Array:
        digits = b.take(pa.array(rows))
        tail = [substring(digits, -3 * j, -3 * (j - 1) or None) for j in range(groups - 1, 0, -1)]
        return pc.binary_join_element_wise(substring(digits, 0, -3 * (groups - 1)), *tail, ".")

    return switch((pc.utf8_length(b).to_numpy() + 2) // 3, grouped)


# How `nit_del_proveedor_adjudicado` is written, by model format code: f(document, check digit).
DOCUMENT_FORMATS: tuple[Callable[[pa.Array, pa.Array], pa.Array], ...] = (
    lambda b, dv: b,  # companies: 900123456
    lambda b, dv: join(b, "-", dv),  # 900123456-7
    lambda b, dv: join(_dotted(b), "-", dv),  # 900.123.456-7
    lambda b, dv: join(b, dv),  # 9001234567 (check digit glued)
    lambda b, dv: join(" ", b, " "),  # stray spaces
    lambda b, dv: join(substring(b, 0, 2), "-", substring(b, 2)),  # 90-0123456
    lambda b, dv: _dotted(b),  # 900.123.456
    lambda b, dv: b,  # persons: 52345678, 1075226795
    lambda b, dv: join(b, "."),  # 1075226795.
    lambda b, dv: join(" ", b),  # stray space
    lambda b, dv: _dotted(b),  # 52.345.678
    lambda b, dv: join("P", b),  # foreign passport: P12000051198
)


def _document(sup: Suppliers, s: np.ndarray, fmt: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """`nit_del_proveedor_adjudicado` in the model's format code of each row."""

    def variant(k: int, rows: np.ndarray) -> pa.Array:
        if k == FMT_HIDDEN:
            return pa.repeat(NO_DEFINIDO, len(rows))
        if k == FMT_HIDDEN_OTHER:
            return take(HIDDEN_DOCS, rng.integers(0, len(HIDDEN_DOCUMENTS), len(rows)))
        return DOCUMENT_FORMATS[k](number_strings(sup.doc[s[rows]]), number_strings(sup.dv[s[rows]]))

    return switch(fmt, variant)


def _words(vocab: pa.Array, index: np.ndarray, fold: np.ndarray) -> pa.Array:
    """Words of a `_with_folded` vocabulary, accents folded where `fold`."""
    size = len(vocab) // 2
    return take(vocab, index + fold * size)


def _supplier_name(sup: Suppliers, s: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Names with accents sometimes folded, legal forms spelled variously, odd case and spacing."""
    n = len(s)
    pieces = sup.pieces[s].astype(np.int64)
    person = sup.kind[s] == PERSON
    fold = (rng.random(n) < 0.2).astype(np.int64)

    def kind(is_person: int, rows: np.ndarray) -> pa.Array:
        p, f = pieces[rows], fold[rows]
        if is_person:
            first, second = _words(FIRSTS, p[:, 0], f), _words(SECONDS, p[:, 1], f)
            return join(first, second, " ", _words(SURNAME_WORDS, p[:, 2], f), " ", _words(SURNAME_WORDS, p[:, 3], f))
        name = join(_words(HEADS, p[:, 0], f), " ", _words(TAILS, p[:, 1], f), _words(QUALIFIERS, p[:, 2], f))
        form = p[:, 3]
        formal = form != LEGAL_FORM_NONE
        draws = rng.integers(0, 1 << 16, (2, len(rows))) % FORM_COUNTS[form]
        spelling = FORM_OFFSETS[form] + draws.min(axis=0)  # the first spelling is the most common
        return patch(name, formal, lambda base: join(base, " ", take(FORM_SPELLINGS, spelling[formal])))

    name = switch(person.astype(np.int8), kind)
    name = patch(name, rng.random(n) < np.where(person, 0.3, 0.1), pc.utf8_title)
    name = patch(name, rng.random(n) < 0.04, lambda x: pc.replace_substring(x, " ", "  ", max_replacements=1))
    return patch(name, rng.random(n) < 0.03, lambda x: join(x, " "))


def _supplier_columns(sup: Suppliers, c: _Chunk, rng: np.random.Generator) -> dict[str, pa.Array]:
    known = c.supplier >= 0
    s = c.supplier[known]
    code = patch(number_strings(sup.code[s]), rng.random(len(s)) < 0.03, lambda x: join(" ", x, " "))
    city = np.maximum(sup.city[np.maximum(c.supplier, 0)], 0)
    located = known & (sup.city[np.maximum(c.supplier, 0)] >= 0) & (rng.random(c.n) < 0.7)
    return {
        "codigoproveedor": fill(known, code, NO_DEFINIDO),
        "nombre_del_proveedor": fill(known, _supplier_name(sup, s, rng), NO_DEFINIDO),
        "nit_del_proveedor_adjudicado": fill(known, _document(sup, s, c.attrs["sup_fmt"][known], rng), NO_DEFINIDO),
        "departamento_proveedor": where(located, take(DEPARTMENTS, city), NO_DEFINIDO),
        "ciudad_proveedor": where(located, take(CITY_NAMES, city), NO_DEFINIDO),
    }


def render(model: Model, c: _Chunk, rng: np.random.Generator) -> pa.Table:
    cols = {
        **_entity_columns(model.entities, c),
        **_process_columns(model.entities, c, rng),
        **_award_columns(c),
        **_supplier_columns(model.suppliers, c, rng),
    }
    return pa.Table.from_arrays([cols[name] for name in SCHEMA.names], schema=SCHEMA)
