"""SIGEP: politically exposed persons and holders of sensitive posts."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from simulator.arrow import join, number_strings, pick_strings, take, texts, where
from simulator.dates import (
    DAY_FIRST,
    FLOATING,
    LAST_DAY,
    SNAPSHOT_DAY,
    US_TIME,
    day_seconds,
    iso_day,
    mixed,
    random_days,
)
from simulator.parties import Parties
from simulator.sources.common import (
    Built,
    after_last_award,
    doc_days,
    entity_sample,
    overridden,
    planted_parties,
    planted_rows,
    second_form,
)
from simulator.vocabulary import CITIES
from simulator.world import World

PEP_POSTS = (
    "ALCALDE", "CONCEJAL", "GOBERNADOR", "DIPUTADO", "SECRETARIO DE DESPACHO", "JEFE DE OFICINA",
    "DIRECTOR ADMINISTRATIVO", "GERENTE", "TESORERO GENERAL", "CONTRALOR", "PERSONERO", "SUBDIRECTOR",
)  # fmt: skip


SIGEP_DIRECTORY = "https://www.funcionpublica.gov.co/web/sigep2/hdv/-/directorio/"
SIGEP_NO_RESUME = SIGEP_DIRECTORY + "0-0-0"  # the link SIGEP gives a person without a public resume


def build_pep(world: World, n: int, rng: np.random.Generator) -> Built:
    """Politically exposed persons, 5% of the person suppliers among them (in post only after their
    last award, or out of it more than two years before their first), and the planted ones. Dates are
    day-first as the API serves them, some in the portal's export form; the resume link is a url object."""
    planted = planted_rows(world, "pep")
    n_background = n - len(planted)
    background = world.parties(rng, n_background, "person", 0.05, exclude=world.plan.docs["pep"])
    people = Parties.concat([background, planted_parties(world, planted)])
    start = random_days(rng, n, iso_day("2012-01-01"), LAST_DAY)
    left = rng.random(n) < 0.45
    end = np.minimum(start + rng.integers(180, 6 * 365, n), SNAPSHOT_DAY)
    first_award, _ = doc_days(world)
    after = after_last_award(world, background, rng)
    for i in np.flatnonzero(after >= 0):
        if rng.random() < 0.5:  # took the post after the last award
            start[i], left[i] = after[i], False
        else:  # left the post more than two years before the first award
            end[i] = first_award[int(background.doc[i])] - 2 * 366 - int(rng.integers(1, 400))
            start[i] = end[i] - int(rng.integers(180, 4 * 365))
            left[i] = True
    for k, r in enumerate(planted):
        i = n_background + k
        start[i], left[i] = r["start"], r["end"] is not None
        end[i] = r["end"] if r["end"] is not None else 0
    entities = entity_sample(world, rng, n)
    exported = second_form(rng, n, n_background)
    no_resume = rng.random(n) < 0.1
    person = number_strings(rng.integers(10**6, 10**7, n))
    resume = join(SIGEP_DIRECTORY, "S", person, "-", entities["codigo_entidad"], "-4/view")
    return {
        "numero_documento": overridden(number_strings(people.doc), planted, "doc", n_background),
        "nombre_pep": people.name,
        "denominacion_cargo": pick_strings(rng, PEP_POSTS, n),
        "nombre_entidad": pc.utf8_upper(entities["entidad"]),
        "fecha_vinculacion": mixed((DAY_FIRST, US_TIME), exported, day_seconds(start)),
        "fecha_desvinculacion": mixed((DAY_FIRST, US_TIME), exported, day_seconds(end), ~left),
        "enlace_hoja_vida_sigep": join('{"url":"', where(no_resume, SIGEP_NO_RESUME, resume), '"}'),
    }


SENSITIVE_POSTS = (
    "PROFESIONAL UNIVERSITARIO", "PROFESIONAL ESPECIALIZADO", "TESORERO", "ALMACENISTA GENERAL",
    "JEFE DE OFICINA ASESORA JURÍDICA", "SECRETARIO DE HACIENDA", "TÉCNICO ADMINISTRATIVO",
    "SUBDIRECTOR DE CONTRATACIÓN",
)  # fmt: skip


def build_sensitive_posts(world: World, n: int, rng: np.random.Generator) -> Built:
    """Servants in corruption-sensitive posts, 4% of the person suppliers among them (appointed after
    their last award), and the planted ones. Start dates are floating timestamps or in the portal's
    export form; a few background ones carry a typo year (2887); salaries have thousands separators."""
    planted = planted_rows(world, "posts")
    n_background = n - len(planted)
    background = world.parties(rng, n_background, "person", 0.04, exclude=world.plan.docs["posts"])
    people = Parties.concat([background, planted_parties(world, planted)])
    start = random_days(rng, n, iso_day("2005-01-01"), LAST_DAY)
    after = after_last_award(world, background, rng)
    start[:n_background] = np.where(after >= 0, after, start[:n_background])
    start[n_background:] = [r["start"] for r in planted]
    # a start year such as 2887: 1% of the background, at least its first row
    typo = ((rng.random(n) < 0.01) | (np.arange(n) == 0)) & (np.arange(n) < n_background)
    start[typo] = iso_day("2887-01-01") + rng.integers(0, 365, int(typo.sum()))
    birthplace = rng.integers(0, len(CITIES), n)
    entities = entity_sample(world, rng, n)
    salary = rng.integers(2_000, 15_000, n) * 1_000
    return {
        "tipo_dcto": where(rng.random(n) < 0.98, "CC", "CE"),
        "identificacion_funcionario": overridden(number_strings(people.doc), planted, "doc", n_background),
        "nombre_completo": people.name,
        "sexo": where(people.male, "M", "F"),
        "nacionalidad": "COLOMBIA",
        "municipio_nacimiento": pc.utf8_upper(take(texts(c[1] for c in CITIES), birthplace)),
        "dpto_nacimiento": pc.utf8_upper(take(texts(c[0] for c in CITIES), birthplace)),
        "nivel_academico": pick_strings(
            rng, ("PROFESIONAL", "ESPECIALIZACIÓN", "MAESTRÍA", "TECNOLÓGICA", "BACHILLER"), n
        ),
        "nivel_formacion": pick_strings(rng, ("UNIVERSITARIA", "POSTGRADO", "TECNOLÓGICA", "SECUNDARIA"), n),
        "cod_institucion": entities["codigo_entidad"],
        "nombre_institucion": pc.utf8_upper(entities["entidad"]),
        "municipio_institucion": pc.utf8_upper(entities["ciudad_entidad"]),
        "dpto_institucion": pc.utf8_upper(entities["departamento_entidad"]),
        "orden": pc.utf8_upper(entities["ordenentidad"]),
        "sector_admtivo": pick_strings(rng, ("HACIENDA", "EDUCACIÓN", "SALUD", "TRANSPORTE", "INTERIOR", "DEFENSA"), n),
        "naturaleza_juridica": pick_strings(
            rng, ("ALCALDÍA", "ESTABLECIMIENTO PÚBLICO", "EMPRESA SOCIAL DEL ESTADO"), n
        ),
        "clasificacion_organica": pick_strings(rng, ("RAMA EJECUTIVA", "ORGANISMOS DE CONTROL", "RAMA JUDICIAL"), n),
        "nivel_jerarquico_empleo": pick_strings(
            rng, ("PROFESIONAL", "DIRECTIVO", "ASESOR", "TÉCNICO", "ASISTENCIAL"), n
        ),
        "tipo_nombramiento": pick_strings(
            rng,
            ("CARRERA ADMINISTRATIVA", "LIBRE NOMBRAMIENTO Y REMOCIÓN", "PROVISIONAL", None),
            n,
            (0.4, 0.3, 0.25, 0.05),
        ),
        "denominacion_empleo_actual": pick_strings(rng, SENSITIVE_POSTS, n),
        "dependencia_empleo_actual": pick_strings(
            rng, ("SECRETARÍA DE HACIENDA", "OFICINA JURÍDICA", "ALMACÉN", "SECRETARÍA GENERAL", "CONTRATACIÓN"), n
        ),
        "asig_basica": [f"{v:,}" for v in salary],  # 5,458,553
        "fecha_vinculacion": mixed((FLOATING, US_TIME), second_form(rng, n, n_background, 0.6), day_seconds(start)),
    }
