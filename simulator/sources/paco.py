"""PACO files: the unfinished public works register and the fiscal liability bulletin."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.arrow import join, number_strings, patch, pick_strings, split_counts, table_rows, take, texts, where
from simulator.dates import DAY_FIRST, DAY_FIRST_TIME, LAST_DAY, calendar_year, day_seconds, iso_day, mixed, random_days
from simulator.parties import Parties, with_check_digit
from simulator.sources.common import (
    Built,
    after_last_award,
    entity_sample,
    overridden,
    planted_parties,
    planted_rows,
    second_form,
)
from simulator.vocabulary import CITIES
from simulator.world import World

INSURERS = (
    (860009578, "SEGUROS DEL ESTADO S.A."), (860524654, "ASEGURADORA SOLIDARIA DE COLOMBIA"),
    (860037013, "COMPAÑÍA MUNDIAL DE SEGUROS S.A."), (890903407, "SEGUROS GENERALES SURAMERICANA S.A."),
    (860002400, "LA PREVISORA S.A. COMPAÑÍA DE SEGUROS"), (860070374, "CONFIANZA S.A."),
)  # fmt: skip
WORK_ROLES = ("CONTRATISTA", "INTERVENTOR", "SUPERVISOR", "ORDENADOR DEL GASTO")
WORK_SECTORS = (  # (code, sector, group)
    ("22", "EDUCACIÓN", "INFRAESTRUCTURA EDUCATIVA"), ("19", "SALUD", "INFRAESTRUCTURA HOSPITALARIA"),
    ("24", "TRANSPORTE", "RED VIAL"), ("40", "VIVIENDA", "VIVIENDA DE INTERÉS SOCIAL"),
    ("41", "AGUA POTABLE", "ACUEDUCTO Y ALCANTARILLADO"), ("43", "DEPORTE Y RECREACIÓN", "ESCENARIOS DEPORTIVOS"),
    ("33", "CULTURA", "INFRAESTRUCTURA CULTURAL"),
)  # fmt: skip
WORKS = ("COLEGIO", "HOSPITAL", "PUENTE", "POLIDEPORTIVO", "ACUEDUCTO", "VÍA TERCIARIA")
WORK_REASONS = (
    "FALTA DE RECURSOS", "INCUMPLIMIENTO DEL CONTRATISTA", "PROBLEMAS PREDIALES", "FALLAS EN LOS DISEÑOS",
    "LICENCIAS AMBIENTALES",
)  # fmt: skip
# DANE-style codes of the simulated places, by city: (department, its two digits, the city's five digits).
DEPARTMENT_CODES = {d: f"{5 + 3 * i:02d}" for i, d in enumerate(dict.fromkeys(d for d, _ in CITIES))}
PLACES = {c: (d, DEPARTMENT_CODES[d], f"{DEPARTMENT_CODES[d]}{1 + 2 * i:03d}") for i, (d, c) in enumerate(CITIES)}


def _works_dates(which: np.ndarray, days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return mixed((DAY_FIRST, DAY_FIRST_TIME), which, day_seconds(days), null)


def build_unfinished_works(world: World, n: int, rng: np.random.Generator) -> Built:
    """Unfinished works (forms 2000-2011), one row per (work, role) party; 5% of the suppliers are among
    the parties (the contractor's act dated on or after their last award), then the planted lines, one
    work each. A row number leads; dates are day-first, some with a time."""
    planted = planted_rows(world, "works")
    n_background = n - len(planted)
    works = max(1, n_background // 2) + len(planted)
    counts = np.concatenate([split_counts(rng, n_background, works - len(planted)), np.ones(len(planted), np.int64)])
    work = np.repeat(np.arange(works), counts)
    role = np.minimum(np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts), len(WORK_ROLES) - 1)
    role_text = [WORK_ROLES[r] for r in role]
    background = world.parties(rng, n_background, "any", 0.05, exclude=world.plan.docs["works"])
    parties = Parties.concat([background, planted_parties(world, planted)])
    entity_index = rng.integers(0, len(world.entities), works)[work]
    entities = table_rows(world.entities, entity_index)
    nit = world.entity_nit[entity_index]
    insurer = rng.integers(0, len(INSURERS), n)
    act = random_days(rng, n, iso_day("2021-01-01"), LAST_DAY)
    after = after_last_award(world, background, rng)
    act[:n_background] = np.where((after >= 0) & (role[:n_background] == 0), after - 1, act[:n_background])
    for k, r in enumerate(planted):
        act[n_background + k], role_text[n_background + k] = r["act"], r["role"]
    which = second_form(rng, n, n_background, 0.2)
    contract_value = np.round(np.exp(rng.normal(np.log(800e6), 1.2, works)))[work].astype(np.int64)
    progress = np.round(rng.uniform(5, 95, works), 2)[work]
    started = (act - rng.integers(400, 2500, works)[work]).astype(np.int64)
    days = rng.integers(60, 720, works)[work]
    sector = rng.integers(0, len(WORK_SECTORS), works)[work]
    building = take(texts(WORKS), rng.integers(0, len(WORKS), works)[work])
    in_secop = rng.random(n) < 0.7
    modified = rng.random(n) < 0.3
    compensated = rng.random(n) < 0.1
    area = np.round(np.exp(rng.normal(np.log(2_000), 1.0, works)), 2)[work]
    longitude = np.round(rng.uniform(-77.5, -72.0, works), 6)[work]
    latitude = np.round(rng.uniform(1.5, 11.0, works), 6)[work]
    name = patch(pa.array(parties.name), (rng.random(n) < 0.3) & (np.arange(n) < n_background), pc.utf8_title)
    places = [PLACES.get(city, (None, None, None)) for city in entities["ciudad_entidad"].to_pylist()]
    null_text = pa.scalar(None, pa.string())
    return {
        "numero_registro": number_strings(np.arange(n)),
        "cod_entidad": entities["codigo_entidad"],
        "cod_obra": number_strings(10_000 + work),
        "consecutivo": number_strings(np.arange(n) + 1),
        "numero_acta_2011": number_strings(rng.integers(1, 30, n)),
        "fecha_2011": _works_dates(which, act),
        "compromisos_2011": pick_strings(
            rng, ("REANUDAR LA OBRA", "LIQUIDAR EL CONTRATO", "GESTIONAR RECURSOS ADICIONALES", "AJUSTAR DISEÑOS"), n
        ),
        "entidad_2010": where(rng.random(n) < 0.2, with_check_digit(nit), number_strings(nit)),
        "numero_proceso_2010": join(
            pick_strings(rng, ("LP-", "SAMC-", "CD-"), n), number_strings(rng.integers(1, 300, n))
        ),
        "tipo_2010": pick_strings(
            rng, ("OBRA PÚBLICA", "CONVENIO INTERADMINISTRATIVO", "ASOCIACIÓN PÚBLICO PRIVADA"), n
        ),
        "estado_2010": pick_strings(rng, ("SUSPENDIDO", "TERMINADO", "EN EJECUCIÓN", "LIQUIDADO"), n),
        "nit_aseguradora_2009": take(texts(str(i[0]) for i in INSURERS), insurer),
        "nombre_aseguradora_2009": take(texts(i[1] for i in INSURERS), insurer),
        "fecha_inicio_2009": _works_dates(which, started),
        "fecha_fin_2009": _works_dates(which, started + days + 3 * 365),
        "numero_poliza_2009": join(
            number_strings(rng.integers(10, 99, n)), "-", number_strings(rng.integers(10**6, 10**7, n))
        ),
        "valor_asegurado_2009": number_strings(contract_value // 10),
        "tipo_garantia_2009": pick_strings(
            rng, ("CUMPLIMIENTO", "ESTABILIDAD DE LA OBRA", "BUEN MANEJO DEL ANTICIPO"), n
        ),
        "riesgos_2009": pick_strings(rng, ("INCUMPLIMIENTO", "CALIDAD", "SALARIOS Y PRESTACIONES"), n),
        "indemnizacion_2009": where(compensated, "SI", "NO"),
        "valor_indemnizado_2009": where(compensated, number_strings(contract_value // 20), "0"),
        "valor_2008": number_strings(contract_value),
        "fecha_2008": _works_dates(which, started - rng.integers(30, 300, n)),
        "estado_presupuesto_2008": pick_strings(rng, ("COMPROMETIDO", "PAGADO PARCIALMENTE", "SIN EJECUTAR"), n),
        "descripcion_2007": pick_strings(rng, ("LICENCIA DE CONSTRUCCIÓN", "PERMISO DE OCUPACIÓN DE CAUCE", None), n),
        "fecha_2007": _works_dates(which, started - rng.integers(60, 400, n)),
        "autoridad_2007": pick_strings(rng, ("CURADURÍA URBANA 1", "SECRETARÍA DE PLANEACIÓN MUNICIPAL", "CAR"), n),
        "numero_licencia_2007": join("LC-", number_strings(rng.integers(100, 9_999, n))),
        "rol_2006": pa.array(role_text, pa.string()),
        "tipo_identificacion_2006": overridden(
            where(parties.person, "CC", "NIT"),
            [{"doc": "" if r["doc"] == "" else None} for r in planted],
            "doc",
            n_background,
        ),
        "identificacion_2006": overridden(number_strings(parties.doc), planted, "doc", n_background),
        "nombre_2006": overridden(name, planted, "name", n_background),
        "fuente_2005": pick_strings(rng, ("RECURSOS PROPIOS", "SGP", "REGALÍAS", "PGN", "COFINANCIACIÓN"), n),
        "porcentaje_2005": pick_strings(rng, ("100", "50", "70", "30"), n),
        "cod_departamento_2004": [place[1] for place in places],
        "departamento_2004": [place[0] for place in places],
        "cod_ciudad_2004": [place[2] for place in places],
        "ciudad_2004": entities["ciudad_entidad"],
        "fecha_inicio_2002": _works_dates(which, started),
        "otrosi_2002": where(modified, "SI", "NO"),
        "tipo_modificacion_2002": where(
            modified, pick_strings(rng, ("ADICIÓN", "PRÓRROGA", "SUSPENSIÓN"), n), null_text
        ),
        "numero_contrato_2002": join(
            number_strings(rng.integers(1, 400, n)), " DE ", number_strings(calendar_year(started))
        ),
        "justificacion_2002": where(modified, pick_strings(rng, WORK_REASONS, n), null_text),
        "objeto_2002": join("CONSTRUCCIÓN DE ", building),
        "valor_contrato_2002": number_strings(contract_value),
        "plazo_en_dias_2002": number_strings(days),
        "esta_secop_2002": where(in_secop, "SI", "NO"),
        "codigo_secop_2002": where(
            in_secop, join("CO1.PCCNTR.", number_strings(rng.integers(100_000, 1_400_000, n))), null_text
        ),
        "descripcion_2000": join(  # commas and quotes: doubled inside the wrapped line
            "CONSTRUCCIÓN DE ",
            building,
            ' "',
            pc.utf8_upper(entities["ciudad_entidad"]),
            '", FASE ',
            number_strings(1 + work % 3),
        ),
        "cod_sector_2000": take(texts(s[0] for s in WORK_SECTORS), sector),
        "sector_2000": take(texts(s[1] for s in WORK_SECTORS), sector),
        "grupo_2000": take(texts(s[2] for s in WORK_SECTORS), sector),
        "nombreentidad_2000": pc.utf8_upper(entities["entidad"]),
        "area_predio_2000": number_strings(area),
        "area_contratada_2000": number_strings(np.round(area * 0.8, 2)),
        "area_construida_2000": number_strings(np.round(area * 0.8 * progress / 100, 2)),
        "ultimo_avance_2000": number_strings(progress),
        "presupuesto_total_2000": number_strings(contract_value),
        "matricula_inmobiliaria_2000": join(
            number_strings(rng.integers(10, 999, n)), "-", number_strings(rng.integers(10**4, 10**6, n))
        ),
        "cedula_catastral_2000": join(
            number_strings(rng.integers(10**14, 10**15, n)), number_strings(rng.integers(10**9, 10**10, n))
        ),
        "porque_estado_2000": pick_strings(rng, WORK_REASONS, n),
        "decision_admin_2000": pick_strings(rng, ("TERMINAR LA OBRA", "DEMOLER", "DAR OTRO USO", None), n),
        "acto_administrativo_2000": join(
            "RESOLUCIÓN ", number_strings(rng.integers(1, 999, n)), " DE ", number_strings(calendar_year(act))
        ),
        "clase_obra_2000": pick_strings(rng, ("EDIFICACIÓN", "INFRAESTRUCTURA VIAL", "REDES"), n),
        "estado_registro_2000": pick_strings(rng, ("APROBADO", "EN REVISIÓN"), n, (0.8, 0.2)),
        "origen_registro_2000": pick_strings(rng, ("ENTIDAD", "CONTRALORÍA"), n, (0.7, 0.3)),
        "tipo_reporte_2000": pick_strings(rng, ("INICIAL", "ACTUALIZACIÓN"), n),
        "raz_nouso_2000": pick_strings(rng, (None, "NO SE HA TERMINADO", "SIN DOTACIÓN"), n, (0.7, 0.2, 0.1)),
        "longitudinicial_2000": number_strings(longitude),
        "longitudfinal_2000": number_strings(longitude),
        "latitudinicial_2000": number_strings(latitude),
        "latitudfinal_2000": number_strings(latitude),
        "nit_2001": number_strings(nit),
        "entidad_2001": entities["entidad"],
        "descripcion_2003": pick_strings(rng, ("VALOR ACTUALIZADO DE LA OBRA", "VALOR CON ADICIONES"), n),
        "valor_2003": number_strings((contract_value * rng.uniform(1.0, 1.4, n)).astype(np.int64)),
        "fecha_2003": _works_dates(which, act),
    }


REPORTERS = (
    "CONTRALORIA GENERAL DE LA REPUBLICA", "CONTRALORIA DE BOGOTA D.C.", "CONTRALORIA DEPARTAMENTAL DE ANTIOQUIA",
    "CONTRALORIA DEPARTAMENTAL DEL VALLE DEL CAUCA", "CONTRALORIA MUNICIPAL DE MEDELLIN",
    "CONTRALORIA DEPARTAMENTAL DE CUNDINAMARCA",
)  # fmt: skip


def build_fiscal_liability(world: World, n: int, rng: np.random.Generator) -> Built:
    """The Comptroller's bulletin: 'CC 123' / 'NIT 900...' documents, untrimmed names, a few shifted rows.

    Every award of a listed supplier fires (the bulletin has no dates), so the background lists other
    people and companies only; the planted rows name suppliers."""
    planted = planted_rows(world, "bulletin")
    n_background = n - len(planted)
    parties = Parties.concat([world.parties(rng, n_background, "any", 0.0), planted_parties(world, planted)])
    glued = ~parties.person & (rng.random(n) < 0.3)
    number = where(glued, with_check_digit(parties.doc, ""), number_strings(parties.doc))
    entities = entity_sample(world, rng, n)
    name = patch(pa.array(parties.name), rng.random(n) < 0.3, pc.utf8_title)
    name = patch(name, rng.random(n) < 0.1, lambda x: join(x, " "))
    document = join(where(parties.person, "CC ", "NIT "), number)
    columns = {
        "responsable_fiscal": overridden(name, planted, "name", n_background),
        "tipo_y_num_docuemento": overridden(document, planted, "doc", n_background),
        "entidad_afectada": pc.utf8_upper(entities["entidad"]),
        "tr": where(rng.random(n) < 0.7, "I", "S"),
        "r": number_strings(rng.geometric(0.6, n)),
        "ente_que_reporta": pick_strings(rng, REPORTERS, n),
        "departamento": pc.utf8_upper(entities["departamento_entidad"]),
        "municipio": pc.utf8_upper(entities["ciudad_entidad"]),
    }
    # Shifted rows (docs/sources.md#paco_responsabilidad_fiscal): every field after the document moved one column left.
    shifted = (rng.random(n) < 0.02) & (np.arange(n) < n_background)
    shifted[rng.integers(0, n_background)] = True  # at least one
    shifted[n_background:] = [r["shifted"] for r in planted]
    tail = ["tr", "r", "ente_que_reporta", "departamento", "municipio"]
    moved = {a: where(shifted, columns[b], columns[a]) for a, b in zip(tail, tail[1:], strict=False)}
    moved["municipio"] = where(shifted, pa.scalar(None, pa.string()), columns["municipio"])
    return {**columns, **moved}
