"""RUES: chamber of commerce registrations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.arrow import id_strings, number_strings, patch, pick_strings, take, texts, where
from simulator.dates import (
    COMPACT,
    FIRST_DAY,
    LAST_DAY,
    NANOS,
    SNAPSHOT_DAY,
    calendar_year,
    day_seconds,
    iso_day,
    random_days,
)
from simulator.parties import Parties, fresh_companies, fresh_people
from simulator.sources.common import Built, doc_days, planted_parties, planted_rows
from simulator.vocabulary import CIIU
from simulator.world import World

CHAMBERS = (
    ("04", "BOGOTA"), ("21", "MEDELLIN PARA ANTIOQUIA"), ("06", "CALI"), ("02", "BARRANQUILLA"),
    ("07", "CARTAGENA"), ("05", "BUCARAMANGA"), ("26", "TUNJA"), ("13", "IBAGUE"), ("19", "NEIVA"),
    ("34", "VILLAVICENCIO"), ("15", "MANIZALES POR CALDAS"), ("23", "PEREIRA"), ("01", "ARMENIA"),
    ("20", "PASTO"), ("24", "POPAYAN"), ("17", "MONTERIA"), ("31", "VALLEDUPAR"), ("30", "SANTA MARTA"),
    ("10", "CUCUTA"), ("08", "FACATATIVA"), ("55", "ABURRA SUR"), ("43", "ORIENTE ANTIOQUEÑO"),
)  # fmt: skip

LEGAL_ORGANISATIONS = (  # (code, label, how a company name ends); the fallback last, natural persons apart
    ("16", "SOCIEDAD POR ACCIONES SIMPLIFICADA SAS", r" S\.? ?A\.? ?S\.?( \.)?$"),
    ("03", "SOCIEDAD LIMITADA", r" LTDA\.?$"),
    ("04", "SOCIEDAD ANONIMA", r" S\.? ?A\.?( E\.?S\.?P\.?)?$"),
    ("12", "ENTIDAD SIN ANIMO DE LUCRO", ""),
)
NATURAL_PERSON = ("01", "PERSONA NATURAL")
RUES_STATES = (("01", "ACTIVA"), ("03", "CANCELADA"), ("02", "INACTIVA"))
OPEN_END = "99991231"  # RUES fecha_vigencia: no expiry


def _legal_organisation(names: Sequence[str], person: np.ndarray) -> dict[str, pa.Array]:
    """RUES organisation code and label, from the legal form that ends each company name."""
    upper = pc.utf8_upper(pa.array(list(names), pa.string()))
    patterns = [
        pc.match_substring_regex(upper, form).to_numpy(zero_copy_only=False) for *_, form in LEGAL_ORGANISATIONS[:-1]
    ]
    index = np.select([person, *patterns], [len(LEGAL_ORGANISATIONS), *range(len(patterns))], len(patterns))
    table = [*LEGAL_ORGANISATIONS, NATURAL_PERSON]
    return {
        "codigo_organizacion_juridica": take(texts(t[0] for t in table), index),
        "organizacion_juridica": take(texts(t[1] for t in table), index),
    }


def build_rues(world: World, n: int, rng: np.random.Generator) -> Built:
    """Registrations of about 70% of the suppliers with a document (some twice), other businesses, and
    the planted registrations. A supplier's background registrations never make its awards fire: it
    registered at least a year before its first award, and a cancelled registration is either cancelled
    on or after its last award or followed by an active one (registered twice)."""
    planted = planted_rows(world, "rues")
    n_background = n - len(planted)
    first_award, last_award = doc_days(world)
    known = np.array([i for i in world.pool.known() if int(world.pool.parties.doc[i]) not in world.plan.docs["rues"]])
    covered = np.sort(rng.choice(known, min(round(0.7 * len(known)), n_background * 2 // 3), replace=False))
    twice = covered[rng.random(len(covered)) < 0.15][: n_background - len(covered)]
    fresh = n_background - len(covered) - len(twice)
    people = int(np.sum(rng.random(fresh) < 0.4))
    parties = Parties.concat(
        [
            world.pool.parties.take(np.concatenate([covered, twice])),
            fresh_people(rng, people, world.avoid),
            fresh_companies(rng, fresh - people, world.avoid),
            planted_parties(world, planted),
        ]
    )
    docs = parties.doc[: len(covered) + len(twice)]
    first = np.array([first_award.get(int(d), LAST_DAY) for d in docs], np.int64)
    last = np.array([last_award.get(int(d), LAST_DAY) for d in docs], np.int64)
    first = np.concatenate([first, random_days(rng, fresh, FIRST_DAY, SNAPSHOT_DAY)])
    last = np.concatenate([last, first[len(docs) :]])
    second = np.zeros(n_background, bool)
    second[len(covered) : len(covered) + len(twice)] = True
    supplier = np.arange(n_background) < len(docs)
    # A supplier registered twice: an older registration cancelled, the current one active.
    state = np.where(second, 1, rng.choice(3, n_background, p=[0.8, 0.12, 0.08]))
    state[: len(covered)][np.isin(covered, twice)] = 0
    registered = first - rng.integers(366, 12 * 365, n_background) - np.where(second, 5 * 365, 0)
    cancelled = state == 1
    cancel_day = np.minimum(
        np.maximum(registered + 365, random_days(rng, n_background, FIRST_DAY - 2 * 365, LAST_DAY)), SNAPSHOT_DAY
    )
    after_last = np.minimum(np.maximum(last, registered + 365) + rng.integers(0, 365, n_background), SNAPSHOT_DAY)
    cancel_day = np.where(supplier, np.maximum(after_last, last), cancel_day)
    cancel_day = np.where(second, np.minimum(registered + 365 * 4, first - 30), cancel_day)
    ancient = ~supplier & (rng.random(n_background) < 0.01)  # a few registrations dated before 1959
    ancient[np.flatnonzero(~supplier)[:1]] = True  # at least one
    registered = np.where(ancient, iso_day("1900-01-01"), registered)
    person = parties.person
    nit = [None if p and r < 0.5 else str(d) for p, r, d in zip(person, rng.random(n), parties.doc, strict=True)]
    id_number = [str(d) if p or r < 0.5 else None for p, r, d in zip(person, rng.random(n), parties.doc, strict=True)]

    labels = [label for _, label in RUES_STATES]
    state = np.concatenate([state, [labels.index(r["state"]) for r in planted]]).astype(np.int64)
    registered = np.concatenate([registered, [r["registered"] for r in planted]]).astype(np.int64)
    cancel_day = np.concatenate([cancel_day, [r["cancelled"] or 0 for r in planted]]).astype(np.int64)
    cancelled = state == 1
    for k, r in enumerate(planted):
        nit[n_background + k], id_number[n_background + k] = r["nit"], r["id"]
    renewed_year = np.where(cancelled, calendar_year(cancel_day) - 1, rng.integers(2019, 2026, n))
    renewed_year = np.maximum(renewed_year, calendar_year(registered))
    renewed = np.maximum(
        (renewed_year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) + rng.integers(0, 90, n),
        registered,
    )
    chamber = rng.integers(0, len(CHAMBERS), n)
    reps = world.pool.rep.take(np.maximum(parties.supplier, 0))
    fresh_reps = fresh_people(rng, n, world.avoid)
    use_pool_rep = parties.supplier >= 0
    rep_doc = np.where(use_pool_rep, reps.doc, fresh_reps.doc)
    rep_name = [a if u else b for a, b, u in zip(reps.name, fresh_reps.name, use_pool_rep, strict=True)]
    state_table = np.array(RUES_STATES)
    category = np.where(person, "PERSONA NATURAL", "SOCIEDAD ó PERSONA JURIDICA PRINCIPAL ó ESAL")
    matricula = id_strings(rng, n, 10_000)
    padded = rng.random(n) < 0.5
    null_text = pa.scalar(None, pa.string())
    open_term = rng.random(n) < 0.7  # a company registered for no fixed term: "99991231"
    term_end = registered + rng.integers(20, 100, n) * 365  # else its term, often far ahead
    return {
        "codigo_camara": take(texts(c[0] for c in CHAMBERS), chamber),
        "camara_comercio": take(texts(c[1] for c in CHAMBERS), chamber),
        "matricula": patch(matricula, padded, lambda m: pc.utf8_lpad(m, width=10, padding="0")),
        "inscripcion_proponente": where(rng.random(n) < 0.2, number_strings(rng.integers(1000, 99999, n)), null_text),
        "razon_social": parties.surname_first(),
        "primer_apellido": parties.surname1,
        "segundo_apellido": parties.surname2,
        "primer_nombre": parties.given,
        "segundo_nombre": parties.middle,
        "sigla": None,
        "codigo_clase_identificacion": where(person, "01", "02"),
        "clase_identificacion": where(person, "CEDULA DE CIUDADANIA", "NIT"),
        "numero_identificacion": pa.array(id_number, pa.string()),
        "nit": pa.array(nit, pa.string()),
        "digito_verificacion": number_strings(parties.check_digits()),
        "cod_ciiu_act_econ_pri": pick_strings(rng, CIIU, n),
        "cod_ciiu_act_econ_sec": pick_strings(rng, (*CIIU, None), n),
        "ciiu3": None,
        "ciiu4": None,
        "fecha_matricula": COMPACT.render(day_seconds(registered)),
        "fecha_renovacion": COMPACT.render(day_seconds(renewed)),
        "ultimo_ano_renovado": number_strings(renewed_year),
        "fecha_vigencia": where(
            person | open_term, where(person, null_text, OPEN_END), COMPACT.render(day_seconds(term_end))
        ),
        "fecha_cancelacion": COMPACT.render(day_seconds(cancel_day), ~cancelled),
        "codigo_tipo_sociedad": where(person, "00", "02"),
        "tipo_sociedad": where(person, "NO APLICA", "SOCIEDAD COMERCIAL"),
        **_legal_organisation(parties.name, person),
        "codigo_categoria_matricula": where(person, "00", "01"),
        "categoria_matricula": category,
        "codigo_estado_matricula": state_table[state, 0],
        "estado_matricula": state_table[state, 1],
        "clase_identificacion_rl": where(person, null_text, "CEDULA DE CIUDADANIA"),
        "num_identificacion_representante_legal": where(person, null_text, number_strings(rep_doc)),
        "representante_legal": where(person, null_text, pa.array(rep_name)),
        "fecha_actualizacion": NANOS.render(
            day_seconds(np.minimum(np.maximum(renewed, np.where(cancelled, cancel_day, 0)) + 3, SNAPSHOT_DAY), rng)
        ),
    }
