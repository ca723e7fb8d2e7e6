"""SIRI: disciplinary sanctions of the Procuraduría."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from simulator.arrow import id_strings, join, number_strings, pick_strings, take, texts
from simulator.dates import DAY_FIRST, LAST_DAY, calendar_year, day_seconds, iso_day, random_days
from simulator.parties import Parties
from simulator.sources.common import Built, after_last_award, entity_sample, planted_parties, planted_rows
from simulator.sources.sigep import PEP_POSTS, SENSITIVE_POSTS
from simulator.vocabulary import CITIES
from simulator.world import World

SIRI_SANCTIONS = (
    ("DESTITUCION E INHABILIDAD GENERAL", "INHABILIDAD GENERAL"),
    ("SUSPENSION E INHABILIDAD ESPECIAL", "INHABILIDAD ESPECIAL"),
    ("MULTA", "INHABILIDAD PARA CONTRATAR"),
    ("AMONESTACION ESCRITA", "SIN INHABILIDAD"),
)


def build_siri(world: World, n: int, rng: np.random.Generator) -> Built:
    """Disciplinary sanctions, 3% of the person suppliers among them (a warning without duration, or
    in force from after their last award), and the planted ones. Documents padded with spaces."""
    planted = planted_rows(world, "siri")
    n_background = n - len(planted)
    background = world.parties(rng, n_background, "person", 0.03, exclude=world.plan.docs["siri"])
    people = Parties.concat([background, planted_parties(world, planted)])
    sanction = rng.choice(len(SIRI_SANCTIONS), n, p=[0.35, 0.3, 0.25, 0.1])
    place = rng.integers(0, len(CITIES), n)
    entities = entity_sample(world, rng, n)
    effect = random_days(rng, n, iso_day("2008-01-01"), LAST_DAY)
    years = np.where(sanction < 2, rng.integers(1, 21, n), 0)
    months = np.where(sanction < 3, rng.integers(0, 12, n), 0)
    days = np.where((sanction < 3) & (rng.random(n) < 0.2), rng.integers(1, 30, n), 0)
    after = after_last_award(world, background, rng)
    warning = (after >= 0) & (rng.random(n_background) < 0.5)
    effect[:n_background] = np.where(after >= 0, np.where(warning, effect[:n_background], after), effect[:n_background])
    sanction[:n_background][warning] = len(SIRI_SANCTIONS) - 1  # AMONESTACION ESCRITA: no duration
    for k, r in enumerate(planted):
        i = n_background + k
        effect[i], years[i], months[i], days[i] = r["effect"], r["years"], r["months"], r["days"]
        sanction[i] = 0 if r["years"] else 2 if r["months"] + r["days"] else len(SIRI_SANCTIONS) - 1
    zero = sanction == len(SIRI_SANCTIONS) - 1
    years, months, days = (np.where(zero, 0, v) for v in (years, months, days))
    return {
        "numero_siri": id_strings(rng, n, 100_000_000),
        "tipo_inhabilidad": take(texts(s[1] for s in SIRI_SANCTIONS), sanction),
        "calidad_persona": pick_strings(rng, ("SERVIDOR PUBLICO", "PARTICULAR", "CONTRATISTA"), n, (0.7, 0.2, 0.1)),
        "tipo_identificacion": "1",
        "nombre_tipo_identificacion": "CEDULA DE CIUDADANIA",
        "numero_identificacion": pc.utf8_rpad(number_strings(people.doc), width=20, padding=" "),
        "primer_apellido": people.surname1,
        "segundo_apellido": people.surname2,
        "primer_nombre": people.given,
        "segundo_nombre": people.middle,
        "cargo": pick_strings(rng, (*PEP_POSTS, *SENSITIVE_POSTS), n),
        "lugar_hechos_departamento": pc.utf8_upper(take(texts(c[0] for c in CITIES), place)),
        "lugar_hechos_municipio": pc.utf8_upper(take(texts(c[1] for c in CITIES), place)),
        "sanciones": take(texts(s[0] for s in SIRI_SANCTIONS), sanction),
        "duracion_anos": number_strings(years),
        "duracion_mes": number_strings(months),
        "duracion_dias": number_strings(days),
        "providencia": pick_strings(
            rng, ("FALLO DE PRIMERA INSTANCIA", "FALLO DE SEGUNDA INSTANCIA", "FALLO DE ÚNICA INSTANCIA"), n
        ),
        "autoridad": join("PROCURADURIA PROVINCIAL DE ", pc.utf8_upper(take(texts(c[1] for c in CITIES), place))),
        "fecha_efectos_juridicos": DAY_FIRST.render(day_seconds(effect)),
        "numero_proceso": join(
            "IUS-", number_strings(calendar_year(effect) - 2), "-", number_strings(rng.integers(10_000, 999_999, n))
        ),
        "entidad_sancionado": pc.utf8_upper(entities["entidad"]),
        "entidad_departamento": pc.utf8_upper(entities["departamento_entidad"]),
        "entidad_municipio": pc.utf8_upper(entities["ciudad_entidad"]),
    }
