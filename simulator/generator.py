"""Synthetic SECOP II processes (Socrata p6dx-8zbt) with planted red flags and their ground truth.

Generation has two stages. First a semantic model is built globally in numpy arrays: entities
(units sharing an organisation NIT), suppliers (base document, SECOP code, kind), processes (entity,
supplier, dates, amounts, rendering styles) and row versions. Then the rows are rendered into the
raw strings the Socrata API serves, chunk by chunk with pyarrow, and appended to one parquet file,
so memory stays flat from 1k to 5M rows.

Planted, next to near-misses (see `_planted`, `_near_misses`, `_award_plants`, `_choose_panel`):
- repeat_awards: the ground truth lists the firing groups of the model (entity NIT, supplier key,
  award year). Before the file is published, the firing set is recomputed from the rendered strings
  with the project's identifier rules and must equal the ground truth.
- single_bidder, short_submission_period, award_close_to_base_price, contract_splitting and
  direct_award_share: processes (or whole organisations) planted with fixed attributes.
The planted processes of every indicator are listed in `ground_truth/planted_processes.csv`
(indicator, process, fire / near, pinned); simulator.datasets turns them into the award keys of
`ground_truth/flags.csv` and checks every indicator on the generated files (simulator.truth).

The background never fires by construction: at most two awards per (organisation, supplier, award
year) and BACKGROUND_PAIR_GAP days between two awards of one (organisation, supplier); a competitive
award has at least two unique bidders, the modality's minimum days to submit offers and an award /
base price ratio outside CLOSE_TO_BASE; the non-competitive share of every organisation compared by
direct_award_share is spread evenly over DIRECT_SHARE_BAND among its order's peers.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import SECOP_II_PROCESOS
from simulator.truth import flags_path as flags_path  # re-exported: the ground truth's file and loader
from simulator.truth import load_planted_flags as load_planted_flags
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document, dian_check_digit

MIN_ROWS = 1_000
CHUNK_ROWS = 250_000
REPEAT_AWARDS_MIN = 3  # a group fires with this many distinct awards (indicators.md §1)
BACKGROUND_MAX = REPEAT_AWARDS_MIN - 1

OLD_VERSION_SHARE = 0.15  # rows that are older versions of a process
AWARDED_SHARE = 0.45  # rows that are the final, awarded version of a process
AWARDS_PER_PLANTED_GROUP = 250
MIN_PLANTED_GROUPS = 5
CODE_ONLY_SHARE = 0.25  # planted groups whose supplier NIT is always 'No Definido'

GROUND_TRUTH_HEADER = ("entity_key", "supplier_key", "award_year", "awards")
NO_DEFINIDO = "No Definido"
NO_ADJUDICADO = "No Adjudicado"
SECOP_PREFIX = "SECOP:"
URL_PREFIX = '{"url":"https://community.secop.gov.co/Public/Tendering/OpportunityDetail/Index?noticeUID=CO1.NTC.'
URL_SUFFIX = '&isFromPublicArea=True&isModal=False"}'
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.000"


def _day(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


FIRST_AWARD_DAY = _day("2018-01-01")
LAST_AWARD_DAY = _day("2025-12-31")
AWARD_YEARS = np.arange(2018, 2026)
DATE_VOCAB_START = _day("2017-01-01")
DATE_VOCAB_END = _day("2027-12-31")

# --- vocabularies -------------------------------------------------------------------------------

# (department, municipality); the first municipality of a department is its capital.
CITIES: tuple[tuple[str, str], ...] = (
    ("Distrito Capital de Bogotá", "Bogotá"),
    ("Cundinamarca", "Zipaquirá"), ("Cundinamarca", "Sopó"), ("Cundinamarca", "Facatativá"),
    ("Cundinamarca", "Fusagasugá"), ("Cundinamarca", "Chía"), ("Cundinamarca", "Girardot"),
    ("Cundinamarca", "Tocancipá"), ("Cundinamarca", "Cachipay"),
    ("Antioquia", "Medellín"), ("Antioquia", "Envigado"), ("Antioquia", "Apartadó"),
    ("Antioquia", "Rionegro"), ("Antioquia", "El Peñol"), ("Antioquia", "Támesis"),
    ("Valle del Cauca", "Cali"), ("Valle del Cauca", "Buenaventura"), ("Valle del Cauca", "Tuluá"),
    ("Valle del Cauca", "Cartago"), ("Atlántico", "Barranquilla"), ("Atlántico", "Soledad"),
    ("Atlántico", "Puerto Colombia"), ("Bolívar", "Cartagena"), ("Bolívar", "Clemencia"),
    ("Bolívar", "Magangué"), ("Boyacá", "Tunja"), ("Boyacá", "Oicatá"), ("Boyacá", "Sogamoso"),
    ("Boyacá", "Miraflores"), ("Boyacá", "Chiquinquirá"), ("Santander", "Bucaramanga"),
    ("Santander", "Barrancabermeja"), ("Santander", "San Gil"), ("Santander", "Málaga"),
    ("Norte de Santander", "Cúcuta"), ("Norte de Santander", "Ocaña"), ("Tolima", "Ibagué"),
    ("Tolima", "Espinal"), ("Tolima", "Líbano"), ("Huila", "Neiva"), ("Huila", "Pitalito"),
    ("Huila", "Garzón"), ("Meta", "Villavicencio"), ("Meta", "Acacías"), ("Meta", "Granada"),
    ("Caldas", "Manizales"), ("Caldas", "Chinchiná"), ("Risaralda", "Pereira"),
    ("Risaralda", "Dosquebradas"), ("Quindío", "Armenia"), ("Quindío", "Calarcá"),
    ("Nariño", "Pasto"), ("Nariño", "Tumaco"), ("Nariño", "Ipiales"), ("Cauca", "Popayán"),
    ("Cauca", "Santander de Quilichao"), ("Córdoba", "Montería"), ("Córdoba", "Lorica"),
    ("Sucre", "Sincelejo"), ("Sucre", "Corozal"), ("Cesar", "Valledupar"), ("Cesar", "Aguachica"),
    ("Magdalena", "Santa Marta"), ("Magdalena", "Ciénaga"), ("La Guajira", "Riohacha"),
    ("La Guajira", "Maicao"), ("Caquetá", "Florencia"), ("Caquetá", "San Vicente del Caguán"),
    ("Arauca", "Arauca"), ("Arauca", "Saravena"), ("Casanare", "Yopal"), ("Casanare", "Aguazul"),
    ("Putumayo", "Mocoa"), ("Putumayo", "Puerto Asís"), ("Chocó", "Quibdó"), ("Chocó", "Istmina"),
    ("Amazonas", "Leticia"), ("Guaviare", "San José del Guaviare"), ("Vichada", "Puerto Carreño"),
    ("Guainía", "Inírida"), ("Vaupés", "Mitú"),
    ("Archipiélago de San Andrés, Providencia y Santa Catalina", "San Andrés"),
)  # fmt: skip

SAINTS = (
    "SAN JOSÉ", "SAN RAFAEL", "SANTA TERESA", "NUESTRA SEÑORA DEL CARMEN", "SAN VICENTE DE PAÚL",
    "SANTA MARÍA", "SAN JUAN DE DIOS", "SAN ANTONIO", "LA INMACULADA", "SAN FRANCISCO DE ASÍS",
    "SANTA ANA", "SAN MARTÍN", "SAN PEDRO CLAVER", "SANTA BÁRBARA", "SAN LUIS GONZAGA",
    "SAGRADO CORAZÓN", "SANTO TOMÁS", "SAN SEBASTIÁN", "LA MILAGROSA", "SAN CRISTÓBAL",
)  # fmt: skip

# Entity name templates: (template, ordenentidad, codigo_pci).
MUNICIPAL_TEMPLATES = (
    ("ALCALDÍA MUNICIPAL DE {city}", "Territorial", "Centralizada"),
    ("MUNICIPIO DE {city}", "Territorial", "Centralizada"),
    ("CONCEJO MUNICIPAL DE {city}", "Territorial", "Centralizada"),
    ("PERSONERÍA MUNICIPAL DE {city}", "Territorial", "Centralizada"),
    ("INSTITUTO MUNICIPAL DE DEPORTES Y RECREACIÓN DE {city}", "Territorial", "Descentralizada"),
    ("EMPRESAS PÚBLICAS DE {city} E.S.P.", "Territorial", "Descentralizada"),
    ("E.S.E. HOSPITAL {saint} DE {city}", "Territorial", "Descentralizada"),
    ("INSTITUCIÓN EDUCATIVA {saint} DE {city}", "Territorial", "Descentralizada"),
)
DEPARTMENT_TEMPLATES = (
    ("GOBERNACIÓN DE {department}", "Territorial", "Centralizada"),
    ("CORPORACIÓN AUTÓNOMA REGIONAL DE {department}", "Corporación Autónoma", "Descentralizada"),
)
# Regional units of one national organisation: all units share the organisation's NIT.
SHARED_NIT_TEMPLATES = (
    ("SENA REGIONAL {department}", "Nacional", "Descentralizada"),
    ("INSTITUTO COLOMBIANO DE BIENESTAR FAMILIAR REGIONAL {department}", "Nacional", "Descentralizada"),
    ("POLICÍA METROPOLITANA DE {city}", "Nacional", "Centralizada"),
    ("DIRECCIÓN SECCIONAL DE ADMINISTRACIÓN JUDICIAL DE {city}", "Nacional", "Centralizada"),
)
NATIONAL_ENTITIES = (
    "MINISTERIO DE EDUCACIÓN NACIONAL", "MINISTERIO DE HACIENDA Y CRÉDITO PÚBLICO",
    "AGENCIA NACIONAL DE INFRAESTRUCTURA", "INSTITUTO NACIONAL DE VÍAS", "HOSPITAL MILITAR CENTRAL",
    "UNIDAD ADMINISTRATIVA ESPECIAL MIGRACIÓN COLOMBIA", "DEPARTAMENTO NACIONAL DE PLANEACIÓN",
    "SUPERINTENDENCIA DE INDUSTRIA Y COMERCIO", "REGISTRADURÍA NACIONAL DEL ESTADO CIVIL",
    "FONDO ÚNICO DE TECNOLOGÍAS DE LA INFORMACIÓN Y LAS COMUNICACIONES",
    "UNIDAD NACIONAL DE PROTECCIÓN", "INSTITUTO GEOGRÁFICO AGUSTÍN CODAZZI",
    "DIRECCIÓN DE INVESTIGACIÓN CRIMINAL E INTERPOL", "CLUB MILITAR", "ARMADA NACIONAL",
)  # fmt: skip
ENTITY_NAME_TAILS = ("**", ".", "*", " -")
CONTRACTING_UNITS = (
    "OFICINA JURÍDICA", "SECRETARÍA GENERAL", "GRUPO DE CONTRATOS", "CONTRATACIÓN",
    "OFICINA ASESORA JURÍDICA Y DE CONTRATACIÓN", "DIRECCIÓN ADMINISTRATIVA Y FINANCIERA",
    "Unidad de Contratación", "SUBDIRECCIÓN DE CONTRATACIÓN",
)  # fmt: skip

MALE_NAMES = (
    "JOSÉ", "ANDRÉS", "SEBASTIÁN", "NICOLÁS", "JULIÁN", "CARLOS", "LUIS", "JUAN", "CAMILO", "JESÚS",
    "RAMÓN", "DANIEL", "JORGE", "OSCAR", "HÉCTOR", "RUBÉN", "GERMÁN", "ÉDGAR", "FABIÁN",
)  # fmt: skip
FEMALE_NAMES = (
    "MARÍA", "MÓNICA", "ÁNGELA", "ANA", "DIANA", "PAOLA", "SOFÍA", "VALENTINA", "LAURA", "MARTHA",
    "LUZ", "INÉS", "CLAUDIA", "YOLANDA", "ERIKA", "NATALIA", "ROCÍO", "BEATRIZ", "LUCÍA",
)  # fmt: skip
FIRST_NAMES = MALE_NAMES + FEMALE_NAMES
SURNAMES = (
    "GÓMEZ", "RODRÍGUEZ", "MARTÍNEZ", "PÉREZ", "MUÑOZ", "HERNÁNDEZ", "GARCÍA", "LÓPEZ", "PEÑA",
    "CASTAÑO", "ÁLVAREZ", "SÁNCHEZ", "RAMÍREZ", "DÍAZ", "TORRES", "ROJAS", "VARGAS", "MORENO",
    "JIMÉNEZ", "OSPINA", "ZULUAGA", "QUIÑONES", "BEDOYA", "CARDONA", "GUTIÉRREZ", "NARVÁEZ",
    "ORDÓÑEZ", "CÁRDENAS", "BOLAÑOS", "AGUILERA", "REY", "MEJÍA", "NARANJO", "CELIS", "ÁVILA",
    "BENÍTEZ", "SUÁREZ", "CASTRO", "ORTIZ", "MARÍN", "ACUÑA", "IBÁÑEZ", "MONTAÑO", "VALENCIA",
)  # fmt: skip
COMPANY_HEADS = (
    "CONSTRUCCIONES", "INGENIERÍA", "SUMINISTROS", "DISTRIBUCIONES", "INVERSIONES", "SOLUCIONES",
    "SERVICIOS INTEGRALES", "COMERCIALIZADORA", "TECNOLOGÍA", "CONSULTORÍA", "OBRAS CIVILES",
    "LOGÍSTICA", "MANTENIMIENTOS", "GRUPO", "ASESORÍAS", "INSUMOS MÉDICOS", "PAPELERÍA",
    "DOTACIONES", "ALIMENTOS", "TRANSPORTES", "FERRETERÍA", "LABORATORIO", "DISEÑOS Y MONTAJES",
    "CONSORCIO", "UNIÓN TEMPORAL",
)  # fmt: skip
CONSORTIUM_HEADS = frozenset({"CONSORCIO", "UNIÓN TEMPORAL"})
COMPANY_TAILS = (
    "DEL CARIBE", "ANDINA", "DE LA SABANA", "EL PROGRESO", "SANTA BÁRBARA", "LOS ÁNGELES",
    "DEL PACÍFICO", "NARIÑO", "GÓMEZ Y CÍA", "MONTAÑA", "PÉREZ", "ORIÓN", "ATLÁNTICO",
    "MAGDALENA", "JM", "R&M", "ALFA", "ÉLITE", "COLOMBIA", "GLOBAL", "TÉCNICA", "NACIONAL",
    "BOGOTÁ", "DEL ORIENTE", "DEL SUR", "ZIPAQUIRÁ", "MEDELLÍN", "LA ESPERANZA", "VÍAS",
    "SALUD", "EDUCATIVA", "DEL LLANO", "CAFETERA", "ARAGÓN", "CÓNDOR", "PIJAO", "MUISCA",
)  # fmt: skip
COMPANY_QUALIFIERS = ("", " J&R", " 2000", " PLUS", " GROUP", " & CÍA", " DE COLOMBIA", " INTEGRAL", " VIAL 2023")
# Legal forms and their spellings; index LEGAL_FORM_NONE for consortia.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("S.A.S.", "SAS", "S A S", "S.A.S", "S.A.S ."),
    ("LTDA.", "LTDA", "Ltda."),
    ("S.A.", "SA", "S. A."),
    ("S.A. E.S.P.", "SA ESP"),
    ("",),
    ("INC", "INC."),
    ("LLC",),
)
LEGAL_FORM_NONE = 4
DOMESTIC_FORMS = np.array([0, 0, 0, 0, 1, 1, 2, 3])  # SAS dominates
FOREIGN_FORMS = np.array([5, 6])

SMALL_BUDGET = "Presupuesto menor al 10% de la Menor Cuantía"
# (name, reference prefix, justification, weight)
MODALITIES: tuple[tuple[str, str, str, float], ...] = (
    ("Mínima cuantía", "MC", SMALL_BUDGET, 0.33),
    ("Contratación directa", "CD", "Servicios profesionales y de apoyo a la gestión", 0.13),
    ("Contratación Directa (con ofertas)", "CD", "Contratos interadministrativos", 0.04),
    ("Selección abreviada subasta inversa", "SASI", "Bienes y servicios de características técnicas uniformes", 0.14),
    ("Contratación régimen especial", "RE", "Régimen especial", 0.06),
    ("Contratación régimen especial (con ofertas)", "RE", "Prestación de servicios de salud", 0.08),
    ("Selección Abreviada de Menor Cuantía", "SAMC", SMALL_BUDGET, 0.09),
    ("Licitación pública", "LP", "Ley 1150 de 2007", 0.05),
    ("Licitación pública Obra Publica", "LP", "Ley 1150 de 2007", 0.02),
    ("Concurso de méritos abierto", "CMA", "Concurso de méritos", 0.04),
    ("Seleccion Abreviada Menor Cuantia Sin Manifestacion Interes", "SAMC", SMALL_BUDGET, 0.01),
    ("Licitación Pública Acuerdo Marco de Precios", "AMP", "Acuerdo marco de precios", 0.01),
    # Spellings only planted near-misses use (weight 0): the warehouse compares modalities folded.
    ("CONTRATACIÓN DIRECTA", "CD", "Servicios profesionales y de apoyo a la gestión", 0.0),
    ("MÍNIMA CUANTÍA", "MC", SMALL_BUDGET, 0.0),
)  # fmt: skip
DIRECT_MODALITY = 1
MANIFESTATION_MODALITIES = np.array([6])  # modalities with a 'manifestación de interés' date
MC, CD, CD_OFFERS, SASI, RE, RE_OFFERS, SAMC, LP, LP_WORKS, CMA, SAMC_NO_INTEREST, AMP, CD_UPPER, MC_UPPER = range(14)


def _folded_label(text: str) -> str:
    """How the warehouse compares free-text categories: trimmed, lower case, accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Indicator rules of the warehouse that the planted ground truth follows (dbt vars, dbt_project.yml).
NON_COMPETITIVE_MODALITIES = frozenset(
    {
        "contratacion directa",
        "contratacion directa (con ofertas)",
        "contratacion regimen especial",
        "contratacion regimen especial (con ofertas)",
    }
)
SUBMISSION_MIN_DAYS = 15  # days from publication to the offer deadline; lower minima by modality:
SUBMISSION_MIN_DAYS_BY_MODALITY = {"minima cuantia": 1, "seleccion abreviada subasta inversa": 3}
CLOSE_TO_BASE = (0.98, 1.0)  # award / base price ratio that fires in a competitive process
SPLITTING_THRESHOLD = 36_400_000  # COP: each award under it, the awards of a 30-day window above it
SPLITTING_WINDOW_DAYS = 30
DIRECT_SHARE_MIN_AWARDS = 20  # entities with fewer awards are not compared
DIRECT_SHARE_MIN_PEERS = 5  # entity orders with fewer compared entities are not evaluated
MAX_SIGNING_DELAY = 19  # simulator.datasets signs a contract 0-19 days after its award, in the award's year
# Background awards of one (organisation, supplier) are this many days apart: no 30-day window holds two.
BACKGROUND_PAIR_GAP = SPLITTING_WINDOW_DAYS + MAX_SIGNING_DELAY + 1

COMPETITIVE = np.array([_folded_label(m[0]) not in NON_COMPETITIVE_MODALITIES for m in MODALITIES])
MIN_SUBMISSION_DAYS = np.array(
    [SUBMISSION_MIN_DAYS_BY_MODALITY.get(_folded_label(m[0]), SUBMISSION_MIN_DAYS) for m in MODALITIES]
)
COMPETITIVE_MODALITIES = np.flatnonzero(COMPETITIVE & (np.array([m[3] for m in MODALITIES]) > 0))

CONTRACT_TYPES: tuple[tuple[str, float], ...] = (
    ("Prestación de servicios", 0.31), ("Suministros", 0.22), ("Compraventa", 0.14), ("Obra", 0.08),
    ("Otro", 0.10), ("Decreto 092 de 2017", 0.03), ("Interventoría", 0.02), ("Consultoría", 0.02),
    ("Seguros", 0.03), ("Arrendamiento de muebles", 0.02), ("Arrendamiento de inmuebles", 0.01),
    ("Servicios financieros", 0.02),
)  # fmt: skip
DURATION_UNITS: tuple[tuple[str, int, float], ...] = (  # (unit, max, weight)
    ("día(s)", 365, 0.45),
    ("Mes(es)", 12, 0.50),
    ("Año(s)", 3, 0.03),
    ("Semana(s)", 8, 0.02),
)
OBJECTS = (
    "PRESTACIÓN DE SERVICIOS PROFESIONALES", "PRESTACIÓN DE SERVICIOS DE APOYO A LA GESTIÓN",
    "SUMINISTRO DE ELEMENTOS DE PAPELERÍA Y ÚTILES DE OFICINA", "SUMINISTRO DE COMBUSTIBLE",
    "MANTENIMIENTO PREVENTIVO Y CORRECTIVO DE VEHÍCULOS", "ADQUISICIÓN DE EQUIPOS DE CÓMPUTO",
    "CONSTRUCCIÓN DE PLACA HUELLA", "MEJORAMIENTO DE VÍAS TERCIARIAS",
    "ADQUISICIÓN DE PÓLIZAS DE SEGUROS", "SERVICIO DE VIGILANCIA Y SEGURIDAD PRIVADA",
    "SUMINISTRO DE ALIMENTOS PARA EL PROGRAMA DE ALIMENTACIÓN ESCOLAR",
    "INTERVENTORÍA TÉCNICA, ADMINISTRATIVA Y FINANCIERA",
    "COMPRAVENTA DE MEDICAMENTOS E INSUMOS MÉDICOS", "ARRENDAMIENTO DE BIEN INMUEBLE",
    "SERVICIO DE ASEO Y CAFETERÍA", "ADQUISICIÓN DE DOTACIÓN DE PERSONAL",
    "LOGÍSTICA PARA EVENTOS INSTITUCIONALES", "MANTENIMIENTO DE INFRAESTRUCTURA EDUCATIVA",
    "SUMINISTRO DE MATERIALES DE CONSTRUCCIÓN", "PRESTACIÓN DEL SERVICIO DE TRANSPORTE ESCOLAR",
    "FUMIGACIÓN Y CONTROL DE PLAGAS", "CONSULTORÍA PARA ESTUDIOS Y DISEÑOS",
    "RECARGA Y MANTENIMIENTO DE EXTINTORES", "ADQUISICIÓN DE LICENCIAS DE SOFTWARE",
)  # fmt: skip
PURPOSES = (
    "PARA EL FORTALECIMIENTO INSTITUCIONAL", "EN LA SECRETARÍA DE PLANEACIÓN", "DE LAS SEDES DE LA ENTIDAD",
    "EN LA ZONA RURAL", "PARA LA VIGENCIA FISCAL", "EN LAS INSTITUCIONES EDUCATIVAS",
    "PARA LA ATENCIÓN DE LA EMERGENCIA", "DEL PLAN DE DESARROLLO", "EN EL ÁREA DE TALENTO HUMANO",
)  # fmt: skip
UNSPSC = (
    "72141100", "80111600", "43211500", "15101500", "78181500", "44121600", "42131600", "51101500",
    "84131500", "92121500", "90101600", "81101500", "76111500", "80101500", "72101500", "30111500",
    "78111800", "46191600", "43231500", "85101500", "86101700", "70131500", "72102905", "93141500",
)  # fmt: skip
AMOUNT_FRACTIONS = ("", ".5", ".25", ".75", ".4")
HIDDEN_DOCUMENTS = ("No aplica", "---", "0-0", "N/A", "SIN DEFINIR")

# Row states: (estado_del_procedimiento, id_estado, fase, estado_resumen, estado_de_apertura).
STATES: tuple[tuple[str, str, str | None, str, str], ...] = (
    ("Seleccionado", "70", "Presentación de oferta", "Adjudicado", "Cerrado"),
    ("Cancelado", "100", "Presentación de oferta", "Presentación de oferta", "Cerrado"),
    ("Publicado", "50", "Presentación de oferta", "Presentación de oferta", "Abierto"),
    ("Evaluación", "60", "Presentación de oferta", "Presentación de oferta", "Cerrado"),
    ("Abierto", "50", "Fase de ofertas", "Fase de ofertas", "Abierto"),
    ("Publicado", "50", "Manifestación de interés (Menor Cuantía)", "Manifestación de interés (Menor Cuantía)",
     "Abierto"),
    ("Publicado", "50", "Presentación de observaciones", "Presentación de observaciones", "Abierto"),
    ("Borrador", "0", None, NO_DEFINIDO, "Abierto"),
)  # fmt: skip
AWARDED_STATE, CANCELLED_STATE, DRAFT_STATE = 0, 1, 7
FINAL_OPEN_STATES, FINAL_OPEN_WEIGHTS = np.array([1, 2, 3, 4, 5, 6]), np.array([0.15, 0.35, 0.2, 0.1, 0.1, 0.1])
OLD_STATES, OLD_WEIGHTS = np.array([7, 2, 3]), np.array([0.35, 0.4, 0.25])

# Supplier kinds and how `nit_del_proveedor_adjudicado` is written (model code -> rendering).
COMPANY, PERSON, FOREIGN = 0, 1, 2
COMPANY_FORMATS = 7  # 900123456 | 900123456-7 | 900.123.456-7 | 9001234567 | ' 900123456 ' | 90-0123456 | 900.123.456
COMPANY_FORMAT_WEIGHTS = np.array([0.55, 0.15, 0.05, 0.10, 0.05, 0.03, 0.07])
PERSON_FORMATS = 4  # 52345678 | 1075226795. | ' 52345678' | 52.345.678
PERSON_FORMAT_WEIGHTS = np.array([0.75, 0.10, 0.05, 0.10])
FMT_FOREIGN = COMPANY_FORMATS + PERSON_FORMATS  # P12000051198
FMT_HIDDEN = FMT_FOREIGN + 1  # 'No Definido' with a real code and name
FMT_HIDDEN_OTHER = FMT_HIDDEN + 1  # another placeholder ('No aplica', '---', ...)
VISIBLE, HIDDEN, HIDDEN_OTHER = 0, 1, 2
BACKGROUND_HIDE_WEIGHTS = np.array([0.5, 0.45, 0.05])
PLACEHOLDER_SUPPLIER_SHARE = 0.015  # awards whose every supplier field is 'No Definido'
ENTITY_NAME_WEIGHTS = np.array([0.70, 0.12, 0.10, 0.08])


@dataclass(frozen=True)
class GeneratedProcesses:
    """What `generate_processes` wrote."""

    path: Path  # out_dir / "p6dx-8zbt.parquet"
    rows: int  # rows written (== requested rows)
    ground_truth_path: Path  # out_dir / "ground_truth" / "repeat_awards.csv"
    repeat_award_groups: frozenset[tuple[str, str, int]]  # (entity_key, supplier_key, award_year)
    # out_dir / "ground_truth" / "planted_processes.csv": the planted processes simulator.datasets reads
    planted_path: Path | None = None


# Planted processes, by (indicator id, role): "fire" processes are awards the indicator must flag,
# "near" processes are near-misses it must not flag. simulator.datasets turns them into award keys.
PLANT_TAGS: tuple[tuple[str, str], ...] = (
    ("repeat_awards", "fire"),
    ("repeat_awards", "near"),
    ("single_bidder", "fire"),
    ("single_bidder", "near"),
    ("short_submission_period", "fire"),
    ("short_submission_period", "near"),
    ("award_close_to_base_price", "fire"),
    ("award_close_to_base_price", "near"),
    ("contract_splitting", "fire"),
    ("contract_splitting", "near"),
    ("direct_award_share", "fire"),
)
(
    TAG_REPEAT,
    TAG_REPEAT_NEAR,
    TAG_SINGLE,
    TAG_SINGLE_NEAR,
    TAG_SHORT,
    TAG_SHORT_NEAR,
    TAG_CLOSE,
    TAG_CLOSE_NEAR,
    TAG_SPLIT,
    TAG_SPLIT_NEAR,
    TAG_DIRECT,
) = range(len(PLANT_TAGS))
# Tags whose award date and value must reach the warehouse unchanged: a contract, if any, is signed on
# the award day for exactly the awarded value.
PINNED_TAGS = frozenset({TAG_SPLIT, TAG_SPLIT_NEAR})
PLANTED_PROCESSES_HEADER = ("indicator_id", "process_id", "role", "pinned")
FREE, NULL = -1, -2  # fixed-attribute sentinels: not fixed; rendered as null


# --- semantic model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entities:
    """Contracting units; units of one organisation share its NIT (hence its entity key)."""

    org: np.ndarray  # int32 organisation of each unit
    nit: np.ndarray  # int64 base NIT (no check digit)
    weight: np.ndarray  # float64 share of processes
    glue_rate: np.ndarray  # float64 share of processes whose NIT is written with the check digit glued
    names: pa.Array  # len(ENTITY_NAME_WEIGHTS) name variants per unit, flattened
    nits: pa.Array  # two renderings per unit: plain, check digit glued
    columns: dict[str, pa.Array]  # per-unit constant API columns
    city: np.ndarray  # int index into CITIES

    def __len__(self) -> int:
        return len(self.org)

    def siblings(self, rng: np.random.Generator, units: np.ndarray) -> np.ndarray:
        """A random unit of the same organisation as each given unit."""
        order = np.argsort(self.org, kind="stable")
        counts = np.bincount(self.org)
        starts = np.cumsum(counts) - counts
        org = self.org[units]
        return order[starts[org] + (rng.random(len(units)) * counts[org]).astype(np.int64)]


@dataclass(frozen=True)
class _Suppliers:
    kind: np.ndarray  # uint8 COMPANY / PERSON / FOREIGN
    doc: np.ndarray  # int64 NIT without check digit, cédula, or passport digits
    dv: np.ndarray  # uint8 DIAN check digit (companies)
    code: np.ndarray  # int64 SECOP supplier code, unique
    pieces: np.ndarray  # (n, 4) uint8 name pieces
    city: np.ndarray  # int16 index into CITIES, -1 unknown

    def key(self, supplier: int, code_only: bool) -> str:
        """Supplier key of the pipeline's rule (canonical document, else SECOP code)."""
        if code_only or self.kind[supplier] == FOREIGN:
            return f"{SECOP_PREFIX}{self.code[supplier]}"
        return str(self.doc[supplier])


@dataclass
class _Processes:
    """One entry per process (its final version); arrays of equal length."""

    entity: np.ndarray  # int32 unit
    supplier: np.ndarray  # int32, -1 = placeholder supplier / none
    awarded: np.ndarray  # bool: the final version is an award
    old_award: np.ndarray  # bool: an older version is an award (the final one is not)
    award_day: np.ndarray  # int32 days since epoch (awarded or old_award)
    pub_day: np.ndarray  # int32
    hide: np.ndarray  # uint8 VISIBLE / HIDDEN / HIDDEN_OTHER supplier document
    cycle: np.ndarray  # int16 rendering rotation inside a planted group, -1 = random
    direct: np.ndarray  # bool: prefer 'Contratación directa'
    tag: np.ndarray  # int8 index into PLANT_TAGS, -1 = background
    big: np.ndarray  # bool: awarded value at least 1.25 x SPLITTING_THRESHOLD
    # Fixed attributes (FREE = drawn like the background's): modality index, unique bidders (NULL:
    # rendered null), responses, days from publication to the offer deadline, base price, awarded value.
    modality: np.ndarray  # int8
    unique: np.ndarray  # int16
    responses: np.ndarray  # int16
    reception: np.ndarray  # int16
    base: np.ndarray  # int64
    value: np.ndarray  # int64

    @classmethod
    def concat(cls, parts: list[_Processes]) -> _Processes:
        return cls(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)})

    @classmethod
    def make(
        cls,
        entity: np.ndarray,
        supplier: np.ndarray,
        award_day: np.ndarray,
        pub_day: np.ndarray,
        hide: np.ndarray,
        *,
        awarded: bool = True,
        old_award: bool = False,
        cycle: np.ndarray | None = None,
        direct: bool = False,
        tag: int | np.ndarray = -1,
        big: bool = False,
        modality: int | np.ndarray = FREE,
        unique: int | np.ndarray = FREE,
        responses: int | np.ndarray = FREE,
        reception: int | np.ndarray = FREE,
        base: int | np.ndarray = FREE,
        value: int | np.ndarray = FREE,
    ) -> _Processes:
        n = len(entity)

        def full(v: int | np.ndarray, dtype: type) -> np.ndarray:
            return np.broadcast_to(np.asarray(v, dtype), (n,)).copy()

        return cls(
            entity=entity.astype(np.int32),
            supplier=supplier.astype(np.int32),
            awarded=np.full(n, awarded),
            old_award=np.full(n, old_award),
            award_day=award_day.astype(np.int32),
            pub_day=pub_day.astype(np.int32),
            hide=hide.astype(np.uint8),
            cycle=np.full(n, -1, np.int16) if cycle is None else cycle.astype(np.int16),
            direct=np.full(n, direct),
            tag=full(tag, np.int8),
            big=np.full(n, big),
            modality=full(modality, np.int8),
            unique=full(unique, np.int16),
            responses=full(responses, np.int16),
            reception=full(reception, np.int16),
            base=full(base, np.int64),
            value=full(value, np.int64),
        )


@dataclass(frozen=True)
class _Truth:
    """Planted firing groups, by model ids."""

    unit: np.ndarray
    supplier: np.ndarray
    year: np.ndarray
    size: np.ndarray
    code_only: np.ndarray


@dataclass
class _Model:
    entities: _Entities
    suppliers: _Suppliers
    procs: _Processes
    attrs: dict[str, np.ndarray]  # per-process rendering attributes
    rows: dict[str, np.ndarray]  # per-row arrays in output order: proc, kind, last_day, state
    truth: dict[tuple[str, str, int], int]
    panel: _Panel


ROW_FINAL, ROW_OLD, ROW_OLD_AWARD = 0, 1, 2


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _title(text: str) -> str:
    small = {"DE", "DEL", "LA", "LAS", "LOS", "Y", "E"}
    return " ".join(w.lower() if w in small else w.capitalize() for w in text.split(" "))


def _name_variants(name: str, tail: str) -> tuple[str, ...]:
    """Same entity written four ways: as is, accents folded, title case with odd spacing, noisy tail."""
    folded = _fold(name)
    head, _, last = _title(folded).rpartition(" ")
    return name, folded, f"{head}  {last} " if head else f"{last} ", name + tail


def _person_name(rng: np.random.Generator) -> str:
    first, surname = rng.choice(len(FIRST_NAMES)), rng.choice(len(SURNAMES), 2)
    return f"{FIRST_NAMES[first]} {SURNAMES[surname[0]]} {SURNAMES[surname[1]]}"


def _entity_candidates() -> list[tuple[str, str, str, int, str | None]]:
    """(name, orden, pci, city index, shared-NIT organisation tag or None) of every possible unit."""
    capitals: dict[str, int] = {}
    for i, (department, _) in enumerate(CITIES):
        capitals.setdefault(department, i)
    out = [(name, "Nacional", "Centralizada", 0, None) for name in NATIONAL_ENTITIES]
    for i, (_, city) in enumerate(CITIES):
        for template, orden, pci in MUNICIPAL_TEMPLATES:
            saints = SAINTS if "{saint}" in template else ("",)
            out += [(template.format(city=city.upper(), saint=s), orden, pci, i, None) for s in saints]
    for department, i in capitals.items():
        city = CITIES[i][1].upper()
        for template, orden, pci in DEPARTMENT_TEMPLATES:
            out.append((template.format(department=department.upper()), orden, pci, i, None))
        for template, orden, pci in SHARED_NIT_TEMPLATES:
            out.append((template.format(department=department.upper(), city=city), orden, pci, i, template))
    return out


def _entity_count(rows: int) -> int:
    return int(np.clip(round(3 * np.sqrt(rows)), 300, 3_000))


def _build_entities(rng: np.random.Generator, rows: int) -> _Entities:
    candidates = _entity_candidates()
    boost = np.array([3.0 if c[1] != "Territorial" or c[4] else 1.0 for c in candidates])
    chosen = rng.choice(len(candidates), _entity_count(rows), replace=False, p=boost / boost.sum())
    units = [candidates[i] for i in chosen]
    n = len(units)

    org_of: dict[str, int] = {}
    org = np.array([org_of.setdefault(tag or f"unit:{i}", len(org_of)) for i, (*_, tag) in enumerate(units)])
    org_nit = rng.choice(100_000_000, len(org_of), replace=False) + 800_000_000
    nit = org_nit[org]

    names, nits = [], []
    for i, (name, *_rest) in enumerate(units):
        names += _name_variants(name, ENTITY_NAME_TAILS[i % len(ENTITY_NAME_TAILS)])
        nits += [str(nit[i]), f"{nit[i]}{dian_check_digit(str(nit[i]))}"]
    city = np.array([u[3] for u in units])
    department = [CITIES[c][0] for c in city]
    unknown_department = rng.random(n) < 0.02
    codes = rng.choice(10_000_000, n, replace=False) + 700_000_000
    weight = 1.0 / (rng.permutation(n) + 5.0) ** 0.9  # a few big buyers, a long tail of small ones
    columns = {
        "departamento_entidad": pa.array(
            [NO_DEFINIDO if u else d for u, d in zip(unknown_department, department, strict=True)]
        ),
        "ciudad_entidad": pa.array([CITIES[c][1] for c in city]),
        "ordenentidad": pa.array([u[1] for u in units]),
        "codigo_pci": pa.array([u[2] for u in units]),
        "codigo_entidad": pa.array(codes).cast(pa.string()),
        "nombre_de_la_unidad_de": pa.array([CONTRACTING_UNITS[i] for i in rng.integers(0, len(CONTRACTING_UNITS), n)]),
        "nombre_del_adjudicador": pa.array([_person_name(rng).title() for _ in range(n)]),
    }
    return _Entities(
        org=org.astype(np.int32),
        nit=nit.astype(np.int64),
        weight=weight / weight.sum(),
        glue_rate=rng.choice(np.array([0.0, 1.0, 0.3]), n, p=[0.75, 0.10, 0.15]),
        names=pa.array(names),
        nits=pa.array(nits),
        columns=columns,
        city=city,
    )


def _year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _year_start(year: np.ndarray) -> np.ndarray:
    return (np.asarray(year) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def _day_in_year(rng: np.random.Generator, year: np.ndarray, first: int = 0, last: int | None = None) -> np.ndarray:
    """A random day of each year, between day-of-year `first` and `last` (default: year end)."""
    start = _year_start(year)
    end = _year_start(np.asarray(year) + 1) - 1 if last is None else start + last
    return start + first + (rng.random(len(start)) * (end - start - first + 1)).astype(np.int64)


def _selection_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days between a process's publication and its award."""
    return rng.integers(1, 46, n)


def _expand(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group index and position inside the group of every member of groups of the given sizes."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    return group, np.arange(len(group)) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _rank_in_group(keys: np.ndarray) -> np.ndarray:
    """Rank of each element among the elements with the same key, in order of appearance."""
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    order = np.argsort(inverse, kind="stable")
    rank = np.empty(len(keys), np.int64)
    rank[order] = np.arange(len(keys)) - np.repeat(np.cumsum(counts) - counts, counts)
    return rank


def _plant_weights(ents: _Entities, excluded_orgs: np.ndarray) -> np.ndarray:
    """Unit weights without the units of some organisations, normalised."""
    weight = np.where(np.isin(ents.org, excluded_orgs), 0.0, ents.weight)
    return weight / weight.sum()


def _planted(
    rng: np.random.Generator, n_groups: int, ents: _Entities, weight: np.ndarray, first_supplier: int
) -> tuple[_Processes, _Truth]:
    """Firing groups: 3-8 awards of one organisation to one dedicated supplier in one award year.

    Their values are above the contract-splitting threshold, so the group never splits a contract.
    """
    sizes = rng.integers(REPEAT_AWARDS_MIN, 9, n_groups)
    group, pos = _expand(sizes)
    unit = rng.choice(len(ents), n_groups, p=weight)
    year = rng.choice(AWARD_YEARS, n_groups)
    award = _day_in_year(rng, year[group])
    pub = award - _selection_days(rng, len(group))
    # Half the groups open with an award in early January that was published the December before.
    january = (rng.random(n_groups) < 0.5)[group] & (pos == 0)
    award[january] = _day_in_year(rng, year[group][january], 0, 9)
    pub[january] = _year_start(year[group][january]) - rng.integers(1, 25, january.sum())
    code_only = rng.random(n_groups) < CODE_ONLY_SHARE
    code_only[:2] = True, False  # at least one group of each kind
    procs = _Processes.make(
        ents.siblings(rng, unit[group]),
        first_supplier + group,
        award,
        pub,
        np.where(code_only[group], HIDDEN, VISIBLE),
        cycle=pos + rng.integers(0, 8, n_groups)[group],
        direct=True,
        tag=TAG_REPEAT,
        big=True,
    )
    return procs, _Truth(unit, first_supplier + np.arange(n_groups), year, sizes, code_only)


def _near_misses(
    rng: np.random.Generator, n: int, ents: _Entities, weight: np.ndarray, first_supplier: int
) -> list[_Processes]:
    """Groups that must not fire, each with its own dedicated supplier(s) and n groups per kind.

    pair: exactly 2 awards in a year; split: 2 awards in December and 1 in the next January, all
    published in the first year; stale: 2 awards plus a process whose older version is an award but
    whose final version is not; spread: 3 awards from 3 organisations; nobody: 3 awards of one
    organisation to the placeholder supplier.
    """
    parts: list[_Processes] = []
    next_supplier = first_supplier

    def groups(size: int, years: np.ndarray = AWARD_YEARS) -> dict[str, np.ndarray]:
        """Members of n groups: position, dedicated supplier, award year, unit, document visibility."""
        nonlocal next_supplier
        group, pos = _expand(np.full(n, size))
        members = {
            "pos": pos,
            "supplier": next_supplier + group,
            "year": rng.choice(years, n)[group],
            "unit": rng.choice(len(ents), n, p=weight)[group],
            "hide": np.where(rng.random(n) < 0.5, HIDDEN, VISIBLE)[group],
        }
        next_supplier += n
        return members

    def make(g: dict[str, np.ndarray], award: np.ndarray, pub: np.ndarray | None = None, **kwargs) -> _Processes:
        pub = award - _selection_days(rng, len(award)) if pub is None else pub
        cycle = g["pos"] + rng.integers(0, 8, len(award))
        return _Processes.make(
            g["unit"], g["supplier"], award, pub, g["hide"], cycle=cycle, tag=TAG_REPEAT_NEAR, big=True, **kwargs
        )

    def subset(g: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
        return {k: v[mask] for k, v in g.items()}

    pair = groups(2)
    parts.append(make(pair, _day_in_year(rng, pair["year"])))

    split = groups(3, AWARD_YEARS[:-1])
    late, year = split["pos"] == 2, split["year"]
    award = np.where(late, _day_in_year(rng, year + 1, 0, 19), _day_in_year(rng, year, 305, 364))
    pub = np.where(
        late, _year_start(year + 1) - rng.integers(1, 20, len(award)), award - _selection_days(rng, len(award))
    )
    parts.append(make(split, award, pub))

    stale = groups(3)
    stale["award"] = _day_in_year(rng, stale["year"])
    final = stale["pos"] < 2
    parts.append(make(subset(stale, final), stale["award"][final]))
    parts.append(make(subset(stale, ~final), stale["award"][~final], awarded=False, old_award=True))

    spread = groups(3)
    spread["unit"] = np.concatenate([_distinct_org_units(rng, ents, weight, 3) for _ in range(n)])
    parts.append(make(spread, _day_in_year(rng, spread["year"])))

    nobody = groups(3)
    award = _day_in_year(rng, nobody["year"])
    none = np.full(len(award), -1)
    parts.append(
        _Processes.make(nobody["unit"], none, award, award - 5, np.full(len(award), HIDDEN), tag=TAG_REPEAT_NEAR)
    )
    return parts


def _distinct_org_units(rng: np.random.Generator, ents: _Entities, weight: np.ndarray, k: int) -> np.ndarray:
    """k units of k different organisations."""
    while True:
        units = rng.choice(len(ents), k, replace=False, p=weight)
        if len(np.unique(ents.org[units])) == k:
            return units


MILLION = 1_000_000


def _award_plants(
    rng: np.random.Generator,
    n_fire: int,
    ents: _Entities,
    weight: np.ndarray,
    first_supplier: int,
    person_suppliers: list[int],
) -> list[_Processes]:
    """Awards planted for the process-level indicators, each supplier dedicated to its plant.

    single_bidder fires on competitive awards with one unique bidder (or, unique bidders unknown, one
    response); near-misses: one bidder in direct contracting (also spelled in capitals), unknown unique
    bidders with two responses. short_submission_period fires under each modality's minimum; near-misses
    sit exactly on it (or use a direct modality). award_close_to_base_price fires at ratios 1, 0.99,
    0.995 and exactly 0.98; near-misses one peso outside the band, a direct award at ratio 1 and a zero
    base price. contract_splitting (dates and values pinned) fires on 2-3 small awards within 30 days
    (boundary included, across a new year, across units of one organisation); near-misses: 31 days
    apart, a sum exactly at the threshold, one award at the threshold, two organisations, two
    suppliers, the placeholder supplier.
    """
    parts: list[_Processes] = []
    next_supplier = first_supplier

    def suppliers(n: int) -> np.ndarray:
        nonlocal next_supplier
        next_supplier += n
        return np.arange(next_supplier - n, next_supplier)

    def plant(tag: int, n: int, **fixed) -> None:
        """n awards to n dedicated suppliers on random days, with fixed attributes (arrays of n or scalars)."""
        unit = fixed.pop("unit", None)
        unit = rng.choice(len(ents), n, p=weight) if unit is None else unit
        supplier = fixed.pop("supplier", None)
        supplier = suppliers(n) if supplier is None else supplier
        award = fixed.pop("award", None)
        award = rng.integers(FIRST_AWARD_DAY + 60, LAST_AWARD_DAY - 60 + 1, n) if award is None else award
        hide = fixed.pop("hide", np.where(rng.random(n) < 0.5, HIDDEN, VISIBLE))
        hide = np.broadcast_to(hide, (n,)).copy()
        hide[np.asarray(supplier) < 0] = HIDDEN
        pub = award - _selection_days(rng, n)
        parts.append(_Processes.make(unit, np.asarray(supplier), award, pub, hide, tag=tag, **fixed))

    def cycled(values: list, n: int) -> np.ndarray:
        return np.array([values[i % len(values)] for i in range(n)])

    competitive = [int(m) for m in COMPETITIVE_MODALITIES]
    # single_bidder: (unique bidders, responses)
    bidders = cycled([(1, 1), (1, 3), (NULL, 1)], n_fire)
    plant(TAG_SINGLE, n_fire, modality=cycled(competitive, n_fire), unique=bidders[:, 0], responses=bidders[:, 1])
    near = np.array([(CD, 1, 1), (CD_UPPER, 1, 1), (RE_OFFERS, 1, 2), (LP, NULL, 2), (MC, NULL, 2)])
    plant(TAG_SINGLE_NEAR, len(near), modality=near[:, 0], unique=near[:, 1], responses=near[:, 2])

    # short_submission_period: (modality, days from publication to the offer deadline)
    short = cycled([(LP, 10), (SASI, 2), (MC, 0), (CMA, 14), (SAMC, 5), (MC_UPPER, 0), (LP_WORKS, 7)], n_fire)
    plant(TAG_SHORT, n_fire, modality=short[:, 0], reception=short[:, 1])
    near = np.array([(LP, 15), (SASI, 3), (MC, 1), (MC_UPPER, 1), (SAMC_NO_INTEREST, 15), (CD, 2), (RE, 0)])
    plant(TAG_SHORT_NEAR, len(near), modality=near[:, 0], reception=near[:, 1])

    # award_close_to_base_price: base prices in whole hundreds of thousands, exact ratios
    base = (np.exp(rng.normal(np.log(300), 1.0, n_fire)).clip(5, 50_000)).astype(np.int64) * 100_000
    per_thousand = cycled([1000, 980, 990, 995], n_fire)
    plant(TAG_CLOSE, n_fire, modality=cycled(competitive, n_fire), base=base, value=base // 1000 * per_thousand)
    base = (np.exp(rng.normal(np.log(300), 1.0, 4)).clip(5, 50_000)).astype(np.int64) * 100_000
    plant(
        TAG_CLOSE_NEAR,
        4,
        modality=np.array([LP, SASI, CD, MC]),
        base=np.array([base[0], base[1], base[2], 0]),
        value=np.array([base[0] // 100 * 98 - 1, base[1] + 1, base[2], base[3]]),
    )

    # Big awards (600M-4,000M) to dedicated suppliers showing their document, not planted themselves: the
    # registers of simulator.datasets plant new suppliers' big awards on them, even in a small world.
    value = np.exp(rng.uniform(np.log(6e8), np.log(4e9), n_fire)).round().astype(np.int64)
    plant(-1, n_fire, value=value, hide=VISIBLE)
    # Persons awarded three times (March-October of three years, any organisations: never repeated nor
    # split), showing their id: candidates for the person registers (PEP, sensitive posts, SIRI).
    persons = suppliers(2 * n_fire)
    years = np.array([rng.choice(AWARD_YEARS, 3, replace=False) for _ in persons]).ravel()
    plant(-1, 3 * len(persons), supplier=np.repeat(persons, 3), award=_day_in_year(rng, years, 60, 300), hide=VISIBLE)
    person_suppliers.extend(persons.tolist())

    # contract_splitting: (day offset, value in millions) per award, days relative to a mid-year day or
    # to 1 January of the next year; each case one unit and one dedicated supplier unless stated.
    for _ in range(max(1, n_fire // 6)):
        year = rng.choice(AWARD_YEARS[1:-1])
        mid = int(_year_start(year)) + int(rng.integers(60, 250))
        new_year = int(_year_start(year + 1))

        def split(tag: int, days: list[int], millions: list[float], **fixed) -> None:
            n = len(days)
            unit = fixed.pop("unit") if "unit" in fixed else np.repeat(rng.choice(len(ents), 1, p=weight), n)
            supplier = fixed.pop("supplier") if "supplier" in fixed else np.repeat(suppliers(1), n)
            value = (np.array(millions) * MILLION).astype(np.int64)
            hide = fixed.pop("hide", HIDDEN if rng.random() < 0.5 else VISIBLE)  # one supplier key per case
            plant(tag, n, unit=unit, supplier=supplier, award=np.array(days), value=value, hide=hide, **fixed)

        split(TAG_SPLIT, [mid, mid + 5], [20, 20])
        split(TAG_SPLIT, [mid, mid + SPLITTING_WINDOW_DAYS], [19, 18])
        split(TAG_SPLIT, [new_year - 7, new_year + 5, new_year + 18], [15, 12, 14])
        chain = [new_year - 22, new_year + 3, new_year + 34]  # 25 then 31 days apart: the last is alone
        unit, supplier = np.repeat(rng.choice(len(ents), 1, p=weight), 3), np.repeat(suppliers(1), 3)
        hide = HIDDEN if rng.random() < 0.5 else VISIBLE
        split(TAG_SPLIT, chain[:2], [10, 30], unit=unit[:2], supplier=supplier[:2], hide=hide)
        split(TAG_SPLIT_NEAR, chain[2:], [5], unit=unit[2:], supplier=supplier[2:], hide=hide)
        multi = np.flatnonzero((np.bincount(ents.org)[ents.org] > 1) & (weight > 0))
        if len(multi):  # two units of one organisation (one NIT)
            units = rng.choice(np.flatnonzero(ents.org == ents.org[rng.choice(multi)]), 2, replace=False)
            split(TAG_SPLIT, [mid + 40, mid + 43], [20, 20], unit=units)
        else:
            split(TAG_SPLIT, [mid + 40, mid + 43], [20, 20])
        split(TAG_SPLIT_NEAR, [mid, mid + SPLITTING_WINDOW_DAYS + 1], [20, 20])
        split(TAG_SPLIT_NEAR, [mid, mid + 5], [SPLITTING_THRESHOLD / 2 / MILLION] * 2)
        split(TAG_SPLIT_NEAR, [mid, mid + 5], [SPLITTING_THRESHOLD / MILLION, 20])
        split(TAG_SPLIT_NEAR, [mid, mid + 3], [20, 20], unit=_distinct_org_units(rng, ents, weight, 2))
        split(TAG_SPLIT_NEAR, [mid, mid + 3], [20, 20], supplier=np.full(2, -1))
        split(TAG_SPLIT_NEAR, [mid, mid + 2], [20, 20], supplier=suppliers(2))
    return parts


@dataclass(frozen=True)
class _Panel:
    """Organisations the direct-award-share indicator compares, guaranteed at every size.

    `planted` organisations award only non-competitively (they fire); `members` are peers of the same
    order with at least DIRECT_SHARE_MIN_AWARDS + 1 background awards each.
    """

    planted: np.ndarray
    members: np.ndarray
    planted_awards: np.ndarray  # background awards of each planted organisation


PANEL_ORDER = "Territorial"
PANEL_MEMBERS = 6
PANEL_MIN_AWARDS = DIRECT_SHARE_MIN_AWARDS + 1


def _choose_panel(rng: np.random.Generator, ents: _Entities, n_awarded: int) -> _Panel:
    orders = np.array(ents.columns["ordenentidad"].to_pylist())
    single = np.bincount(ents.org)[ents.org] == 1
    candidates = np.flatnonzero((orders == PANEL_ORDER) & single)
    candidates = candidates[np.argsort(-ents.weight[candidates], kind="stable")]
    n_planted = int(np.clip(round(n_awarded / 2_000), 1, 3))
    members = ents.org[candidates[:PANEL_MEMBERS]]
    planted = ents.org[candidates[PANEL_MEMBERS : PANEL_MEMBERS + n_planted]]
    return _Panel(planted, members, rng.integers(PANEL_MIN_AWARDS, PANEL_MIN_AWARDS + 6, n_planted))


def _fill_panel(rng: np.random.Generator, entity: np.ndarray, ents: _Entities, panel: _Panel) -> np.ndarray:
    """Background award units moved so that each panel organisation has its number of awards."""
    entity = entity.copy()
    unit_of = np.zeros(ents.org.max() + 1, np.int64)
    unit_of[ents.org] = np.arange(len(ents))
    panel_orgs = np.concatenate([panel.planted, panel.members])
    others = _plant_weights(ents, panel_orgs)
    for org, target in zip(panel.planted, panel.planted_awards, strict=True):
        extra = np.flatnonzero(ents.org[entity] == org)[target:]
        entity[extra] = rng.choice(len(ents), len(extra), p=others)
    needs = [(org, int(target)) for org, target in zip(panel.planted, panel.planted_awards, strict=True)]
    needs += [(org, PANEL_MIN_AWARDS) for org in panel.members]
    for org, target in needs:
        missing = target - int(np.sum(ents.org[entity] == org))
        if missing > 0:
            donors = np.flatnonzero(~np.isin(ents.org[entity], panel_orgs))
            if len(donors) < missing:
                raise RuntimeError("generator bug: too few background awards for the direct-award-share panel")
            entity[rng.choice(donors, missing, replace=False)] = unit_of[org]
    return entity


def _background(
    rng: np.random.Generator, n: int, ents: _Entities, first_supplier: int, panel: _Panel
) -> tuple[_Processes, int]:
    """Ordinary awards, at most BACKGROUND_MAX per (organisation, supplier, award year) and
    BACKGROUND_PAIR_GAP days apart for one (organisation, supplier): they never repeat or split.

    Returns the awards and the number of supplier ids used.
    """
    n_suppliers = max(100, n // 3)
    popularity = 1.0 / (rng.permutation(n_suppliers) + 10.0) ** 1.1
    supplier = rng.choice(n_suppliers, n, p=popularity / popularity.sum())
    entity = _fill_panel(rng, rng.choice(len(ents), n, p=ents.weight), ents, panel)
    award = rng.integers(FIRST_AWARD_DAY, LAST_AWARD_DAY + 1, n)
    placeholder = rng.random(n) < PLACEHOLDER_SUPPLIER_SHARE

    pair = ents.org[entity].astype(np.int64) * n_suppliers + supplier
    group = pair * 100 + _year_of(award) - 2000
    group[placeholder] = -1 - np.arange(placeholder.sum())  # placeholder awards never group
    overflow = _rank_in_group(group) >= BACKGROUND_MAX
    supplier[overflow] = n_suppliers + np.arange(overflow.sum())  # fresh single-award suppliers
    used = n_suppliers + int(overflow.sum())

    pair = np.where(overflow | placeholder, -1 - np.arange(n), pair)
    order = np.lexsort((award, pair))
    close = np.zeros(n, bool)
    close[order[1:]] = (pair[order[1:]] == pair[order[:-1]]) & (
        award[order[1:]] - award[order[:-1]] < BACKGROUND_PAIR_GAP
    )
    supplier[close] = used + np.arange(close.sum())
    used += int(close.sum())

    supplier = np.where(placeholder, -1, first_supplier + supplier)
    hide = rng.choice(3, n, p=BACKGROUND_HIDE_WEIGHTS)
    return _Processes.make(entity, supplier, award, award - _selection_days(rng, n), hide), used


def _unawarded(rng: np.random.Generator, n: int, ents: _Entities) -> _Processes:
    entity = rng.choice(len(ents), n, p=ents.weight)
    pub = rng.integers(FIRST_AWARD_DAY, LAST_AWARD_DAY + 1, n)
    none = np.full(n, -1)
    return _Processes.make(entity, none, none, pub, np.zeros(n), awarded=False)


def _build_processes(
    rng: np.random.Generator, rows: int, ents: _Entities
) -> tuple[_Processes, _Truth, int, int, int, _Panel, list[int]]:
    """All processes, the planted truth, supplier count, dedicated-supplier count, older-version rows,
    the direct-award-share panel and the dedicated suppliers that must be persons."""
    n_old = round(rows * OLD_VERSION_SHARE)
    n_awarded = round(rows * AWARDED_SHARE)
    n_groups = max(MIN_PLANTED_GROUPS, round(n_awarded / AWARDS_PER_PLANTED_GROUP))
    panel = _choose_panel(rng, ents, n_awarded)
    weight = _plant_weights(ents, panel.planted)  # plants stay out of the planted organisations
    planted, truth = _planted(rng, n_groups, ents, weight, 0)
    near = _near_misses(rng, max(2, n_groups // 2), ents, weight, n_groups)
    first = int(_Processes.concat([planted, *near]).supplier.max()) + 1
    n_fire = int(np.clip(round(n_awarded / 150), 5, 20))
    persons: list[int] = []
    special = _Processes.concat([planted, *near, *_award_plants(rng, n_fire, ents, weight, first, persons)])
    n_special_suppliers = int(special.supplier.max()) + 1
    background, n_background_suppliers = _background(
        rng, n_awarded - int(special.awarded.sum()), ents, n_special_suppliers, panel
    )
    n_stale = int(special.old_award.sum())
    unawarded = _unawarded(rng, rows - n_old - n_awarded - n_stale, ents)
    procs = _Processes.concat([special, background, unawarded])
    return procs, truth, n_special_suppliers + n_background_suppliers, n_special_suppliers, n_old, panel, persons


def _build_suppliers(
    rng: np.random.Generator, n: int, n_special: int, ents: _Entities, persons: list[int] | None = None
) -> _Suppliers:
    """Suppliers with unique documents and codes; the first n_special are never foreign, `persons` are
    natural persons."""
    kind = rng.choice(3, n, p=[0.62, 0.37, 0.01]).astype(np.uint8)
    kind[:n_special] = rng.choice(2, n_special, p=[0.6, 0.4])
    kind[np.asarray(persons or [], np.int64)] = PERSON
    company, person, foreign = kind == COMPANY, kind == PERSON, kind == FOREIGN
    ten_digits = person & (rng.random(n) < 0.4)

    doc = np.zeros(n, np.int64)
    pool = rng.choice(102_000_000, company.sum() + len(ents), replace=False) + 800_000_000
    doc[company] = pool[~np.isin(pool, ents.nit)][: company.sum()]  # never an entity's NIT
    doc[person & ~ten_digits] = rng.choice(99_900_000, (person & ~ten_digits).sum(), replace=False) + 100_000
    doc[ten_digits] = rng.choice(100_000_000, ten_digits.sum(), replace=False) + 1_000_000_000
    doc[foreign] = rng.integers(10**9, 2 * 10**10, foreign.sum())
    dv = np.zeros(n, np.uint8)
    dv[company] = np.fromiter((dian_check_digit(str(d)) for d in doc[company]), np.uint8, company.sum())

    consortium = np.isin(np.arange(len(COMPANY_HEADS)), [COMPANY_HEADS.index(h) for h in CONSORTIUM_HEADS])
    head = rng.integers(0, len(COMPANY_HEADS), n)
    form = np.where(foreign, rng.choice(FOREIGN_FORMS, n), rng.choice(DOMESTIC_FORMS, n))
    company_pieces = np.stack(
        [
            head,
            rng.integers(0, len(COMPANY_TAILS), n),
            np.where(rng.random(n) < 0.3, rng.integers(1, len(COMPANY_QUALIFIERS), n), 0),
            np.where(consortium[head], LEGAL_FORM_NONE, form),
        ],
        axis=1,
    )
    gender = rng.integers(0, 2, n) * len(MALE_NAMES)  # offset of the person's half of FIRST_NAMES
    person_pieces = np.stack(
        [
            gender + rng.integers(0, len(MALE_NAMES), n),
            np.where(rng.random(n) < 0.6, 1 + gender + rng.integers(0, len(MALE_NAMES), n), 0),
            rng.integers(0, len(SURNAMES), n),
            rng.integers(0, len(SURNAMES), n),
        ],
        axis=1,
    )
    return _Suppliers(
        kind=kind,
        doc=doc,
        dv=dv,
        code=rng.choice(9_900_000, n, replace=False) + 100_000,
        pieces=np.where(person[:, None], person_pieces, company_pieces).astype(np.uint8),
        city=np.where(rng.random(n) < 0.6, rng.integers(0, len(CITIES), n), -1).astype(np.int16),
    )


def _increasing_ids(rng: np.random.Generator, order: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Unique ids in [start, stop), increasing along `order` (SECOP numbers grow with time)."""
    max_gap = max(1, min(40, (stop - start) // max(1, len(order))))
    ids = np.empty(len(order), np.int64)
    ids[order] = start + np.cumsum(rng.integers(1, max_gap + 1, len(order)))
    return ids


def _weighted(rng: np.random.Generator, table: tuple, n: int) -> np.ndarray:
    weights = np.array([row[-1] for row in table])
    return rng.choice(len(table), n, p=weights / weights.sum()).astype(np.uint8)


def _document_formats(rng: np.random.Generator, procs: _Processes, sup: _Suppliers) -> np.ndarray:
    """Format code of each process's supplier document: random by kind, rotating inside planted groups."""
    n, cyc = len(procs.entity), procs.cycle
    kind = sup.kind[np.maximum(procs.supplier, 0)]
    company = np.where(cyc >= 0, cyc % COMPANY_FORMATS, rng.choice(COMPANY_FORMATS, n, p=COMPANY_FORMAT_WEIGHTS))
    person = COMPANY_FORMATS + np.where(
        cyc >= 0, cyc % PERSON_FORMATS, rng.choice(PERSON_FORMATS, n, p=PERSON_FORMAT_WEIGHTS)
    )
    return np.select(
        [procs.supplier < 0, procs.hide == HIDDEN, procs.hide == HIDDEN_OTHER, kind == FOREIGN, kind == PERSON],
        [FMT_HIDDEN, FMT_HIDDEN, FMT_HIDDEN_OTHER, FMT_FOREIGN, person],
        company,
    ).astype(np.uint8)


DIRECT_SHARE_BAND = (0.15, 0.40)  # non-competitive shares of the compared background organisations


def direct_share_outliers(
    awards: np.ndarray, noncompetitive: np.ndarray, order: np.ndarray, *, include_self: bool = True
) -> np.ndarray:
    """Entities the direct_award_share rule flags, given per entity its awards, non-competitive awards
    and order: entities with at least DIRECT_SHARE_MIN_AWARDS awards, in orders with at least
    DIRECT_SHARE_MIN_PEERS such entities, whose share is above Q3 + 1.5 IQR of the order's shares
    (linear interpolation; `include_self=False`: of the other entities' shares)."""
    flagged = np.zeros(len(awards), bool)
    compared = awards >= DIRECT_SHARE_MIN_AWARDS
    share = np.where(compared, noncompetitive / np.maximum(awards, 1), 0.0)
    for name in np.unique(order[compared]):
        members = np.flatnonzero(compared & (order == name))
        if len(members) < DIRECT_SHARE_MIN_PEERS:
            continue
        ranked = np.argsort(share[members], kind="stable")
        values = share[members][ranked]
        removed = np.full(len(members), len(members)) if include_self else np.arange(len(members))
        q1, q3 = (_quantile_without(values, removed, q) for q in (0.25, 0.75))
        flagged[members[ranked]] = values > q3 + 1.5 * (q3 - q1)
    return flagged


def _quantile_without(values: np.ndarray, removed: np.ndarray, q: float) -> np.ndarray:
    """For each index in `removed`, the q-quantile (linear interpolation) of the sorted `values` without
    that element (an index past the end removes nothing)."""
    n = len(values) - (removed < len(values))
    position = q * (n - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, n - 1)

    def at(p: np.ndarray) -> np.ndarray:
        return values[p + (p >= removed)]

    return at(low) + (position - low) * (at(high) - at(low))


def _org_orders(ents: _Entities) -> np.ndarray:
    order = np.empty(int(ents.org.max()) + 1, object)
    order[ents.org] = np.array(ents.columns["ordenentidad"].to_pylist(), object)
    return order


def _balance_direct_share(
    rng: np.random.Generator, procs: _Processes, ents: _Entities, modality: np.ndarray, panel: _Panel
) -> np.ndarray:
    """Modalities of free awards (no fixed modality) of every organisation with enough awards to be
    compared, so that its non-competitive share is its target: evenly spread over DIRECT_SHARE_BAND
    among the organisations of an order (no outlier), 1 for the planted organisations."""
    modality = modality.copy()
    org = ents.org[procs.entity].astype(np.int64)
    n_orgs = int(ents.org.max()) + 1
    awarded = procs.awarded
    counts = np.bincount(org[awarded], minlength=n_orgs)
    target = np.full(n_orgs, -1.0)
    orders = _org_orders(ents)
    for name in np.unique(orders[counts >= DIRECT_SHARE_MIN_AWARDS]):
        members = np.flatnonzero((counts >= DIRECT_SHARE_MIN_AWARDS) & (orders == name))
        # Evenly spread, the top level twice: no entity stands out, even against the others alone.
        levels = np.linspace(*DIRECT_SHARE_BAND, max(1, len(members) - 1))
        target[rng.permutation(members)] = np.append(levels, levels[-1])[: len(members)]
    target[panel.planted] = 1.0

    fixed = procs.modality >= 0
    if np.any(fixed & awarded & np.isin(org, panel.planted)):
        raise RuntimeError("generator bug: a planted process in a direct-award-share organisation")
    free = awarded & ~fixed & (target[org] >= 0)
    fixed_noncompetitive = np.bincount(org[awarded & fixed & ~COMPETITIVE[modality]], minlength=n_orgs)
    n_free = np.bincount(org[free], minlength=n_orgs)
    wanted = np.clip(np.round(target * counts).astype(np.int64) - fixed_noncompetitive, 0, n_free)
    rows = np.flatnonzero(free)
    rank = np.empty(len(rows), np.int64)
    shuffled = rng.permutation(len(rows))
    rank[shuffled] = _rank_in_group(org[rows][shuffled])
    noncompetitive = rank < wanted[org[rows]]

    weights = np.array([m[3] for m in MODALITIES])
    direct_p = np.where(~COMPETITIVE, weights, 0.0)
    competitive_p = np.where(COMPETITIVE, weights, 0.0)
    to_direct = rows[noncompetitive & COMPETITIVE[modality[rows]]]
    to_competitive = rows[~noncompetitive & ~COMPETITIVE[modality[rows]]]
    modality[to_direct] = rng.choice(len(MODALITIES), len(to_direct), p=direct_p / direct_p.sum())
    modality[to_competitive] = rng.choice(len(MODALITIES), len(to_competitive), p=competitive_p / competitive_p.sum())

    # Rounding can still leave a background organisation just above the fence: make one of its free
    # non-competitive awards competitive until none is (the planted ones stay far above).
    planted = set(panel.planted.tolist())
    for _ in range(1_000):
        noncompetitive_awards = np.bincount(org[awarded & ~COMPETITIVE[modality]], minlength=n_orgs)
        flagged = set()
        for include_self in (True, False):
            outliers = direct_share_outliers(counts, noncompetitive_awards, orders, include_self=include_self)
            flagged |= set(np.flatnonzero(outliers).tolist())
        extra = sorted(flagged - planted)
        if not extra:
            break
        for o in extra:
            direct = np.flatnonzero(free & (org == o) & ~COMPETITIVE[modality])
            if not len(direct):
                raise RuntimeError(f"generator bug: organisation {o} is a direct-award-share outlier")
            modality[direct[0]] = COMPETITIVE_MODALITIES[0]
    if flagged != planted:
        raise RuntimeError(
            f"generator bug: direct-award-share outliers {sorted(flagged)} are not the planted organisations "
            f"{sorted(planted)}"
        )
    return modality


COMPETITIVE_FACTORS = ((0.55, 0.97), (1.01, 1.1))  # award / base price of competitive background awards


def _build_attrs(
    rng: np.random.Generator, procs: _Processes, ents: _Entities, sup: _Suppliers, panel: _Panel
) -> dict[str, np.ndarray]:
    """Per-process attributes that only shape the rendering (same for every version of a process).

    Fixed attributes of planted processes win; the background's make no process-level indicator fire:
    a competitive award has at least two unique bidders, the modality's minimum days to submit offers
    and an award / base price ratio outside CLOSE_TO_BASE.
    """
    n = len(procs.entity)
    bears_award = procs.awarded | procs.old_award
    modality = _weighted(rng, MODALITIES, n)
    modality[procs.direct & (rng.random(n) < 0.6)] = DIRECT_MODALITY
    fixed = procs.modality >= 0
    modality[fixed] = procs.modality[fixed]
    modality = _balance_direct_share(rng, procs, ents, modality, panel)
    competitive = COMPETITIVE[modality]
    competitive_award = bears_award & competitive

    unit = _weighted(rng, DURATION_UNITS, n)
    unit_max = np.array([u[1] for u in DURATION_UNITS])[unit]
    raw = np.exp(rng.normal(np.log(30e6), 1.5, n)).clip(3e5, 8e10)
    factor = np.where(rng.random(n) < 0.3, 1.0, rng.uniform(0.55, 1.0, n))
    above = rng.random(n) < 0.03  # a few awards above the base price
    factor[above] = rng.uniform(1.0, 1.1, above.sum())
    (low, high), (low_above, high_above) = COMPETITIVE_FACTORS
    safe = np.where(rng.random(n) < 0.9, rng.uniform(low, high, n), rng.uniform(low_above, high_above, n))
    factor = np.where(competitive_award, safe, factor)
    value = np.where(bears_award, (raw * factor).round(), 0)
    floor = SPLITTING_THRESHOLD * 1.25
    small = procs.big & (value < floor)  # planted repeat groups never split a contract
    value[small] = (floor * rng.uniform(1.0, 4.0, small.sum())).round()
    fixed_value = procs.value >= 0
    value[fixed_value] = procs.value[fixed_value]
    base = np.where(rng.random(n) < 0.02, 0, (value / factor).round()).astype(np.int64)
    base = np.where(bears_award, base, np.where(rng.random(n) < 0.02, 0, raw.round())).astype(np.int64)
    fixed_base = procs.base >= 0
    base[fixed_base] = procs.base[fixed_base]
    exact = fixed_value | fixed_base

    responses = np.where(bears_award, 1 + rng.geometric(0.35, n), rng.integers(0, 4, n)).clip(0, 60)
    unique = (1 + rng.random(n) * responses).astype(np.int64).clip(0, responses)
    unique = np.where(competitive_award, np.maximum(unique, 2), unique)
    responses = np.maximum(responses, unique)
    unique = np.where(procs.unique != FREE, procs.unique, unique)  # NULL stays: rendered null
    responses = np.where(procs.responses != FREE, procs.responses, responses)
    reception = np.where(competitive, MIN_SUBMISSION_DAYS[modality] + rng.integers(0, 26, n), rng.integers(3, 30, n))
    reception = np.where(procs.reception != FREE, procs.reception, reception)

    by_publication = np.argsort(procs.pub_day, kind="stable")
    cyc = procs.cycle
    return {
        "modality": modality,
        "contract": _weighted(rng, CONTRACT_TYPES, n),
        "object": rng.integers(0, len(OBJECTS), n, dtype=np.uint8),
        "purpose": rng.integers(0, len(PURPOSES), n, dtype=np.uint8),
        "category": rng.integers(0, len(UNSPSC), n, dtype=np.uint8),
        "duration_unit": unit,
        "duration": (1 + rng.random(n) * unit_max).astype(np.int16),
        "lots": np.where(rng.random(n) < 0.05, rng.integers(2, 7, n), 0).astype(np.uint8),
        "ref_style": rng.choice(3, n, p=[0.6, 0.25, 0.15]).astype(np.uint8),
        "ref_seq": rng.integers(1, 400, n, dtype=np.int16),
        "ref_phase": rng.random(n) < 0.15,
        "base": base,
        "base_frac": np.where(
            (base > 0) & ~exact & (rng.random(n) < 0.03), rng.integers(1, len(AMOUNT_FRACTIONS), n), 0
        ),
        "value": value.astype(np.int64),
        "value_frac": np.where(~exact & (rng.random(n) < 0.05), rng.integers(1, len(AMOUNT_FRACTIONS), n), 0).astype(
            np.uint8
        ),
        "responses": responses.astype(np.int16),
        "unique_bidders": unique.astype(np.int16),
        "interested": np.where(np.isin(modality, MANIFESTATION_MODALITIES), rng.integers(0, 15, n), 0).astype(np.uint8),
        "reception": reception.astype(np.int16),
        "req": _increasing_ids(rng, by_publication, 1_000_000, 90_000_000),
        "bdos": _increasing_ids(rng, by_publication, 900_000, 90_000_000),
        "ntc": _increasing_ids(rng, by_publication, 1_000_000, 90_000_000),
        "award_id": _increasing_ids(rng, np.argsort(procs.award_day, kind="stable"), 1_000_000, 90_000_000),
        "sup_fmt": _document_formats(rng, procs, sup),
        "ent_glue": np.where(cyc >= 0, cyc % 2 == 0, rng.random(n) < ents.glue_rate[procs.entity]),
        "ent_var": np.where(
            cyc >= 0,
            (cyc // 2 + cyc) % len(ENTITY_NAME_WEIGHTS),
            rng.choice(len(ENTITY_NAME_WEIGHTS), n, p=ENTITY_NAME_WEIGHTS),
        ).astype(np.uint8),
    }


def _build_rows(rng: np.random.Generator, procs: _Processes, n_old: int) -> dict[str, np.ndarray]:
    """One final row per process plus older versions, strictly earlier by at least a day, shuffled."""
    n = len(procs.entity)
    stale = np.flatnonzero(procs.old_award)
    old_proc = np.concatenate([rng.integers(0, n, n_old - len(stale)), stale])
    old_kind = np.concatenate([np.full(n_old - len(stale), ROW_OLD), np.full(len(stale), ROW_OLD_AWARD)])
    order = np.lexsort((old_kind, old_proc))  # a stale award is the newest older version of its process
    old_proc, old_kind = old_proc[order], old_kind[order]
    version = _rank_in_group(old_proc)
    versions = np.bincount(old_proc, minlength=n)

    old_last = procs.pub_day[old_proc] + version
    old_last = np.where(old_kind == ROW_OLD_AWARD, np.maximum(old_last, procs.award_day[old_proc]), old_last)
    anchor = np.where(procs.awarded, procs.award_day, np.where(procs.old_award, procs.award_day + 1, procs.pub_day))
    final_last = np.maximum(procs.pub_day + versions, anchor) + rng.integers(0, 15, n)

    final_state = np.where(
        procs.awarded,
        AWARDED_STATE,
        np.where(procs.old_award, CANCELLED_STATE, rng.choice(FINAL_OPEN_STATES, n, p=FINAL_OPEN_WEIGHTS)),
    )
    old_state = np.where(old_kind == ROW_OLD_AWARD, AWARDED_STATE, rng.choice(OLD_STATES, len(old_proc), p=OLD_WEIGHTS))
    shuffle = rng.permutation(n + len(old_proc))
    return {
        "proc": np.concatenate([np.arange(n), old_proc]).astype(np.int32)[shuffle],
        "kind": np.concatenate([np.full(n, ROW_FINAL), old_kind]).astype(np.uint8)[shuffle],
        "last_day": np.concatenate([final_last, old_last]).astype(np.int32)[shuffle],
        "state": np.concatenate([final_state, old_state]).astype(np.uint8)[shuffle],
    }


def _truth_groups(truth: _Truth, ents: _Entities, sup: _Suppliers) -> dict[tuple[str, str, int], int]:
    return {
        (str(ents.nit[u]), sup.key(s, bool(c)), int(y)): int(k)
        for u, s, y, k, c in zip(truth.unit, truth.supplier, truth.year, truth.size, truth.code_only, strict=True)
    }


def _build_model(rows: int, seed: int) -> _Model:
    rng = np.random.default_rng(seed)
    ents = _build_entities(rng, rows)
    procs, truth, n_suppliers, n_special, n_old, panel, persons = _build_processes(rng, rows, ents)
    sup = _build_suppliers(rng, n_suppliers, n_special, ents, persons)
    attrs = _build_attrs(rng, procs, ents, sup, panel)
    # Every award of a planted organisation is non-competitive: direct_award_share flags them all.
    procs.tag[procs.awarded & np.isin(ents.org[procs.entity], panel.planted)] = TAG_DIRECT
    return _Model(
        entities=ents,
        suppliers=sup,
        procs=procs,
        attrs=attrs,
        rows=_build_rows(rng, procs, n_old),
        truth=_truth_groups(truth, ents, sup),
        panel=panel,
    )


# --- rendering ----------------------------------------------------------------------------------

SCHEMA = pa.schema([pa.field(name, pa.string()) for name in SECOP_II_PROCESOS.field_names])
# Columns with (nearly) one value per row: parquet dictionary encoding would only cost time.
HIGH_CARDINALITY = frozenset(
    {"id_del_proceso", "id_del_portafolio", "urlproceso", "referencia_del_proceso", "id_adjudicacion"}
)


def _texts(values) -> pa.Array:
    return pa.array(list(values), pa.string())


def _with_folded(words: tuple[str, ...]) -> pa.Array:
    """The words, then the same words with accents folded (index + len(words))."""
    return _texts([*words, *(_fold(w) for w in words)])


def _date_vocab() -> pa.Array:
    days = np.arange(DATE_VOCAB_START, DATE_VOCAB_END + 1).astype("datetime64[D]")
    return pc.binary_join_element_wise(pa.array(days).cast(pa.string()), "T00:00:00.000", "")


DATES = _date_vocab()
STATE_COLUMNS = {
    name: _texts(state[i] for state in STATES)
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
MODALITY_NAMES = _texts(m[0] for m in MODALITIES)
MODALITY_PREFIXES = _texts(m[1] for m in MODALITIES)
MODALITY_JUSTIFICATIONS = _texts(m[2] for m in MODALITIES)
CONTRACT_NAMES = _texts(c[0] for c in CONTRACT_TYPES)
DURATION_NAMES = _texts(u[0] for u in DURATION_UNITS)
OBJECT_NAMES = _texts(OBJECTS)
DESCRIPTIONS = _texts(f"{o} {p} - {city.upper()}" for o in OBJECTS for p in PURPOSES for _, city in CITIES)
CATEGORY_CODES = _texts(f"V1.{code}" for code in UNSPSC)
FRACTIONS = _texts(AMOUNT_FRACTIONS)
DEPARTMENTS, CITY_NAMES = _texts(c[0] for c in CITIES), _texts(c[1] for c in CITIES)
HIDDEN_DOCS = _texts(HIDDEN_DOCUMENTS)
HEADS, TAILS, QUALIFIERS = _with_folded(COMPANY_HEADS), _with_folded(COMPANY_TAILS), _with_folded(COMPANY_QUALIFIERS)
FIRSTS, SECONDS = _with_folded(FIRST_NAMES), _with_folded(("", *(f" {name}" for name in FIRST_NAMES)))
SURNAME_WORDS = _with_folded(SURNAMES)
FORM_SPELLINGS = _texts(spelling for form in LEGAL_FORMS for spelling in form)
FORM_COUNTS = np.array([len(form) for form in LEGAL_FORMS])
FORM_OFFSETS = np.cumsum(FORM_COUNTS) - FORM_COUNTS


def _take(vocab: pa.Array, index: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return vocab.take(pa.array(index, mask=null))


def _num(values: np.ndarray) -> pa.Array:
    return pa.array(values).cast(pa.string())


def _num_or_null(values: np.ndarray, null: np.ndarray) -> pa.Array:
    return pa.array(values, mask=null).cast(pa.string())


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _slice(text: pa.Array, start: int, stop: int | None = None) -> pa.Array:
    return pc.utf8_slice_codeunits(text, start, stop)


def _where(cond: np.ndarray, yes: pa.Array | str, no: pa.Array | str) -> pa.Array:
    return pc.if_else(pa.array(cond), yes, no)


def _fill(mask: np.ndarray, values: pa.Array, default: str) -> pa.Array:
    """`values` (one per true row of mask, in order) on the rows of mask, `default` elsewhere."""
    index = np.where(mask, np.cumsum(mask) - 1, len(values))
    return pa.concat_arrays([values, _texts([default])]).take(pa.array(index))


def _patch(base: pa.Array, mask: np.ndarray, change: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """`base` with `change` applied to the rows of mask only."""
    index = np.arange(len(base))
    index[mask] = len(base) + np.arange(mask.sum())
    return pa.concat_arrays([base, change(base.filter(pa.array(mask)))]).take(pa.array(index))


def _switch(code: np.ndarray, variant: Callable[[int, np.ndarray], pa.Array]) -> pa.Array:
    """Row i written by `variant(code[i], rows)`; each variant is rendered for its own rows only."""
    index = np.empty(len(code), np.int64)
    parts, offset = [], 0
    for k in np.unique(code):
        rows = np.flatnonzero(code == k)
        parts.append(variant(int(k), rows))
        index[rows] = offset + np.arange(len(rows))
        offset += len(rows)
    return pa.concat_arrays(parts).take(pa.array(index))


def _date(days: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    return _take(DATES, days - DATE_VOCAB_START, null)


def _amount(values: np.ndarray, fraction: np.ndarray) -> pa.Array:
    """Whole pesos, a few with decimals ('1250000.5')."""
    decimal = fraction > 0
    return _patch(_num(values), decimal, lambda whole: _join(whole, _take(FRACTIONS, fraction[decimal])))


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


def _gather(model: _Model, lo: int, hi: int) -> _Chunk:
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


def _entity_columns(ents: _Entities, c: _Chunk) -> dict[str, pa.Array]:
    e, a = c.entity, c.attrs
    cols = {name: _take(values, e) for name, values in ents.columns.items()}
    return {
        **cols,
        "entidad": _take(ents.names, e * len(ENTITY_NAME_WEIGHTS) + a["ent_var"]),
        "nit_entidad": _take(ents.nits, e * 2 + a["ent_glue"]),
        "ppi": cols["codigo_entidad"],
        "ciudad_de_la_unidad_de": cols["ciudad_entidad"],
        "nombre_del_adjudicador": _where(c.awarded, cols["nombre_del_adjudicador"], NO_ADJUDICADO),
    }


def _reference(c: _Chunk) -> pa.Array:
    """'SAMC-012-2023', 'SAMC 012 DE 2023' or 'SAMC0122023', sometimes with the phase appended."""
    a = c.attrs

    def style(k: int, rows: np.ndarray) -> pa.Array:
        prefix = _take(MODALITY_PREFIXES, a["modality"][rows])
        seq = pc.utf8_lpad(_num(a["ref_seq"][rows]), width=3, padding="0")
        year = _num(_year_of(c.pub_day[rows]))
        return _join(*((prefix, "-", seq, "-", year), (prefix, " ", seq, " DE ", year), (prefix, seq, year))[k])

    return _patch(_switch(a["ref_style"], style), a["ref_phase"], lambda ref: _join(ref, " (Presentación de oferta)"))


def _process_columns(ents: _Entities, c: _Chunk, rng: np.random.Generator) -> dict[str, pa.Array]:
    a = c.attrs
    draft = c.state == DRAFT_STATE
    reception = c.pub_day + a["reception"]
    invited = _num((a["modality"] == DIRECT_MODALITY).astype(np.uint8))
    zero = pa.repeat("0", c.n)
    description = (a["object"].astype(np.int64) * len(PURPOSES) + a["purpose"]) * len(CITIES) + ents.city[c.entity]
    return {
        "id_del_proceso": _join("CO1.REQ.", _num(a["req"])),
        "id_del_portafolio": _join("CO1.BDOS.", _num(a["bdos"])),
        "urlproceso": _join(URL_PREFIX, _num(a["ntc"]), URL_SUFFIX),
        "referencia_del_proceso": _reference(c),
        "nombre_del_procedimiento": _take(OBJECT_NAMES, a["object"]),
        "descripci_n_del_procedimiento": _take(DESCRIPTIONS, description),
        **{name: _take(values, c.state) for name, values in STATE_COLUMNS.items()},
        "fecha_de_publicacion_del": _date(c.pub_day),
        "fecha_de_ultima_publicaci": _date(c.last_day),
        "fecha_de_publicacion": _date(c.pub_day, ~np.isin(a["modality"], MANIFESTATION_MODALITIES)),
        "precio_base": _amount(a["base"], a["base_frac"]),
        "modalidad_de_contratacion": _take(MODALITY_NAMES, a["modality"]),
        "justificaci_n_modalidad_de": _take(MODALITY_JUSTIFICATIONS, a["modality"]),
        "duracion": _num(a["duration"]),
        "unidad_de_duracion": _take(DURATION_NAMES, a["duration_unit"]),
        "fecha_de_recepcion_de": _date(reception, draft),
        "fecha_de_apertura_de_respuesta": _date(reception, draft),
        "fecha_de_apertura_efectiva": _date(reception, ~STATE_OPENED[c.state]),
        "proveedores_invitados": invited,
        "proveedores_con_invitacion": invited,
        "visualizaciones_del": _num(rng.integers(0, 400, c.n)),
        "proveedores_que_manifestaron": _num(a["interested"]),
        "respuestas_al_procedimiento": _num(np.where(draft, 0, a["responses"])),
        "respuestas_externas": zero,
        "conteo_de_respuestas_a_ofertas": zero,
        "proveedores_unicos_con": _num_or_null(
            np.where(draft, 0, a["unique_bidders"]), ~draft & (a["unique_bidders"] == NULL)
        ),
        "numero_de_lotes": _num(a["lots"]),
        "codigo_principal_de_categoria": _take(CATEGORY_CODES, a["category"]),
        "tipo_de_contrato": _take(CONTRACT_NAMES, a["contract"]),
        "subtipo_de_contrato": pa.repeat(NO_DEFINIDO, c.n),
        "categorias_adicionales": pa.repeat("No definido", c.n),
    }


def _award_columns(c: _Chunk) -> dict[str, pa.Array]:
    a, won = c.attrs, c.awarded
    return {
        "adjudicado": _where(won, "Si", "No"),
        "id_adjudicacion": _fill(won, _num(a["award_id"][won]), NO_ADJUDICADO),
        "fecha_adjudicacion": _date(np.where(won, c.award_day, DATE_VOCAB_START), ~won),
        "valor_total_adjudicacion": _fill(won, _amount(a["value"][won], a["value_frac"][won]), "0"),
    }


def _dotted(b: pa.Array) -> pa.Array:
    """Digits with thousands separators: 123.456, 52.345.678, 900.123.456, 1.075.226.795."""

    def grouped(groups: int, rows: np.ndarray) -> pa.Array:
        digits = b.take(pa.array(rows))
        tail = [_slice(digits, -3 * j, -3 * (j - 1) or None) for j in range(groups - 1, 0, -1)]
        return pc.binary_join_element_wise(_slice(digits, 0, -3 * (groups - 1)), *tail, ".")

    return _switch((pc.utf8_length(b).to_numpy() + 2) // 3, grouped)


# How `nit_del_proveedor_adjudicado` is written, by model format code: f(document, check digit).
DOCUMENT_FORMATS: tuple[Callable[[pa.Array, pa.Array], pa.Array], ...] = (
    lambda b, dv: b,  # companies: 900123456
    lambda b, dv: _join(b, "-", dv),  # 900123456-7
    lambda b, dv: _join(_dotted(b), "-", dv),  # 900.123.456-7
    lambda b, dv: _join(b, dv),  # 9001234567 (check digit glued)
    lambda b, dv: _join(" ", b, " "),  # stray spaces
    lambda b, dv: _join(_slice(b, 0, 2), "-", _slice(b, 2)),  # 90-0123456
    lambda b, dv: _dotted(b),  # 900.123.456
    lambda b, dv: b,  # persons: 52345678, 1075226795
    lambda b, dv: _join(b, "."),  # 1075226795.
    lambda b, dv: _join(" ", b),  # stray space
    lambda b, dv: _dotted(b),  # 52.345.678
    lambda b, dv: _join("P", b),  # foreign passport: P12000051198
)


def _document(sup: _Suppliers, s: np.ndarray, fmt: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """`nit_del_proveedor_adjudicado` in the model's format code of each row."""

    def variant(k: int, rows: np.ndarray) -> pa.Array:
        if k == FMT_HIDDEN:
            return pa.repeat(NO_DEFINIDO, len(rows))
        if k == FMT_HIDDEN_OTHER:
            return _take(HIDDEN_DOCS, rng.integers(0, len(HIDDEN_DOCUMENTS), len(rows)))
        return DOCUMENT_FORMATS[k](_num(sup.doc[s[rows]]), _num(sup.dv[s[rows]]))

    return _switch(fmt, variant)


def _words(vocab: pa.Array, index: np.ndarray, fold: np.ndarray) -> pa.Array:
    """Words of a `_with_folded` vocabulary, accents folded where `fold`."""
    size = len(vocab) // 2
    return _take(vocab, index + fold * size)


def _supplier_name(sup: _Suppliers, s: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Names with accents sometimes folded, legal forms spelled variously, odd case and spacing."""
    n = len(s)
    pieces = sup.pieces[s].astype(np.int64)
    person = sup.kind[s] == PERSON
    fold = (rng.random(n) < 0.2).astype(np.int64)

    def kind(is_person: int, rows: np.ndarray) -> pa.Array:
        p, f = pieces[rows], fold[rows]
        if is_person:
            first, second = _words(FIRSTS, p[:, 0], f), _words(SECONDS, p[:, 1], f)
            return _join(first, second, " ", _words(SURNAME_WORDS, p[:, 2], f), " ", _words(SURNAME_WORDS, p[:, 3], f))
        name = _join(_words(HEADS, p[:, 0], f), " ", _words(TAILS, p[:, 1], f), _words(QUALIFIERS, p[:, 2], f))
        form = p[:, 3]
        formal = form != LEGAL_FORM_NONE
        draws = rng.integers(0, 1 << 16, (2, len(rows))) % FORM_COUNTS[form]
        spelling = FORM_OFFSETS[form] + draws.min(axis=0)  # the first spelling is the most common
        return _patch(name, formal, lambda base: _join(base, " ", _take(FORM_SPELLINGS, spelling[formal])))

    name = _switch(person.astype(np.int8), kind)
    name = _patch(name, rng.random(n) < np.where(person, 0.3, 0.1), pc.utf8_title)
    name = _patch(name, rng.random(n) < 0.04, lambda x: pc.replace_substring(x, " ", "  ", max_replacements=1))
    return _patch(name, rng.random(n) < 0.03, lambda x: _join(x, " "))


def _supplier_columns(sup: _Suppliers, c: _Chunk, rng: np.random.Generator) -> dict[str, pa.Array]:
    known = c.supplier >= 0
    s = c.supplier[known]
    code = _patch(_num(sup.code[s]), rng.random(len(s)) < 0.03, lambda x: _join(" ", x, " "))
    city = np.maximum(sup.city[np.maximum(c.supplier, 0)], 0)
    located = known & (sup.city[np.maximum(c.supplier, 0)] >= 0) & (rng.random(c.n) < 0.7)
    return {
        "codigoproveedor": _fill(known, code, NO_DEFINIDO),
        "nombre_del_proveedor": _fill(known, _supplier_name(sup, s, rng), NO_DEFINIDO),
        "nit_del_proveedor_adjudicado": _fill(known, _document(sup, s, c.attrs["sup_fmt"][known], rng), NO_DEFINIDO),
        "departamento_proveedor": _where(located, _take(DEPARTMENTS, city), NO_DEFINIDO),
        "ciudad_proveedor": _where(located, _take(CITY_NAMES, city), NO_DEFINIDO),
    }


def _render(model: _Model, c: _Chunk, rng: np.random.Generator) -> pa.Table:
    cols = {
        **_entity_columns(model.entities, c),
        **_process_columns(model.entities, c, rng),
        **_award_columns(c),
        **_supplier_columns(model.suppliers, c, rng),
    }
    return pa.Table.from_arrays([cols[name] for name in SCHEMA.names], schema=SCHEMA)


# --- verification and public API ----------------------------------------------------------------


def _canonical(values: pa.Array) -> pa.Array:
    """`canonical_document` of every value, computed once per distinct value."""
    encoded = pc.dictionary_encode(values)
    keys = pa.array([canonical_document(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return keys.take(encoded.indices)


class _FiringCheck:
    """Recomputes the firing groups from the rendered strings (the pipeline's rule, indicators.md §1)."""

    def __init__(self) -> None:
        self._versions: list[tuple[np.ndarray, np.ndarray]] = []
        self._awards: list[pa.Table] = []

    def add(self, table: pa.Table) -> None:
        proc = pc.utf8_slice_codeunits(table["id_del_proceso"], len("CO1.REQ.")).cast(pa.int64()).to_numpy()
        last = pc.strptime(table["fecha_de_ultima_publicaci"], format=TIMESTAMP_FORMAT, unit="s")
        last = last.cast(pa.int64()).to_numpy()
        self._versions.append((proc, last))
        won = pc.equal(table["adjudicado"], "Si")
        awards, mask = table.filter(won), won.to_numpy()
        code = pc.utf8_trim_whitespace(awards["codigoproveedor"])
        placeholder = pc.is_in(pc.utf8_upper(code), pa.array(PLACEHOLDERS))
        code_key = pc.if_else(placeholder, pa.scalar(None, pa.string()), _join(SECOP_PREFIX, code))
        self._awards.append(
            pa.table(
                {
                    "proc": proc[mask],
                    "last": last[mask],
                    "entity_key": _canonical(awards["nit_entidad"].combine_chunks()),
                    "supplier_key": pc.coalesce(
                        _canonical(awards["nit_del_proveedor_adjudicado"].combine_chunks()), code_key
                    ),
                    "award_year": pc.utf8_slice_codeunits(awards["fecha_adjudicacion"], 0, 4).cast(pa.int64()),
                }
            )
        )

    def firing(self) -> dict[tuple[str, str, int], int]:
        """Groups with at least REPEAT_AWARDS_MIN surviving awards, and their award counts."""
        proc = np.concatenate([v[0] for v in self._versions])
        last = np.concatenate([v[1] for v in self._versions])
        order = np.lexsort((last, proc))
        proc, last = proc[order], last[order]
        newest = np.append(proc[1:] != proc[:-1], True)
        if np.any(newest[1:] & (proc[1:] == proc[:-1]) & (last[1:] == last[:-1])):
            raise RuntimeError("generator bug: two versions of a process share the latest publication date")
        survivors, survivor_last = proc[newest], last[newest]

        awards = pa.concat_tables(self._awards)
        survives = survivor_last[np.searchsorted(survivors, awards["proc"].to_numpy())] == awards["last"].to_numpy()
        awards = awards.filter(pa.array(survives))
        awards = awards.filter(pc.is_valid(awards["supplier_key"]))
        counts = awards.group_by(["entity_key", "supplier_key", "award_year"]).aggregate([("proc", "count_distinct")])
        counts = counts.filter(pc.greater_equal(counts["proc_count_distinct"], REPEAT_AWARDS_MIN))
        return {
            (r["entity_key"], r["supplier_key"], r["award_year"]): r["proc_count_distinct"] for r in counts.to_pylist()
        }


def _write_ground_truth(path: Path, groups: dict[tuple[str, str, int], int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GROUND_TRUTH_HEADER)
        writer.writerows((*key, awards) for key, awards in sorted(groups.items()))


def _write_planted_processes(path: Path, model: _Model) -> None:
    """The planted processes: indicator, process id, role (fire / near) and whether pinned."""
    tagged = np.flatnonzero(model.procs.tag >= 0)
    rows = sorted(
        (
            PLANT_TAGS[tag][0],
            f"CO1.REQ.{req}",
            PLANT_TAGS[tag][1],
            int(tag in PINNED_TAGS),
        )
        for tag, req in zip(model.procs.tag[tagged].tolist(), model.attrs["req"][tagged].tolist(), strict=True)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PLANTED_PROCESSES_HEADER)
        writer.writerows(rows)


def load_planted_processes(path: Path) -> list[tuple[str, str, str, bool]]:
    """(indicator_id, process_id, role, pinned) of a planted-processes CSV."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return [(r["indicator_id"], r["process_id"], r["role"], r["pinned"] == "1") for r in csv.DictReader(handle)]


def load_ground_truth(path: Path) -> frozenset[tuple[str, str, int]]:
    """The (entity_key, supplier_key, award_year) groups of a ground-truth CSV."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return frozenset((r["entity_key"], r["supplier_key"], int(r["award_year"])) for r in csv.DictReader(handle))


def _write(model: _Model, path: Path, seed: int) -> dict[tuple[str, str, int], int]:
    """Render and write every row; returns the firing groups recomputed from the written strings."""
    rows = len(model.rows["proc"])
    check = _FiringCheck()
    dictionary = [name for name in SCHEMA.names if name not in HIGH_CARDINALITY]
    with (
        pq.ParquetWriter(path, SCHEMA, compression="zstd", use_dictionary=dictionary, write_statistics=False) as writer,
        ThreadPoolExecutor(max_workers=1) as background,
    ):

        def store(table: pa.Table) -> None:
            writer.write_table(table)
            check.add(table)

        # Chunk i is written and checked in the background while chunk i + 1 is rendered.
        pending: Future[None] | None = None
        for number, lo in enumerate(range(0, rows, CHUNK_ROWS)):
            chunk = _gather(model, lo, min(rows, lo + CHUNK_ROWS))
            table = _render(model, chunk, np.random.default_rng((seed, number)))
            if pending is not None:
                pending.result()
            pending = background.submit(store, table)
        if pending is not None:
            pending.result()
    return check.firing()


def generate_processes(rows: int, out_dir: Path, seed: int = 42) -> GeneratedProcesses:
    """Write `rows` synthetic p6dx-8zbt rows and the repeat-awards ground truth under `out_dir`.

    Same seed, same content. Raises RuntimeError (and writes nothing) if the rendered rows do not
    reproduce the planted ground truth under the pipeline's rule.
    """
    if rows < MIN_ROWS:
        raise ValueError(f"rows must be at least {MIN_ROWS}, got {rows}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{SECOP_II_PROCESOS.dataset_id}.parquet"
    ground_truth_path = out_dir / "ground_truth" / "repeat_awards.csv"
    partial = path.with_name(path.name + ".partial")

    model = _build_model(rows, seed)
    try:
        recomputed = _write(model, partial, seed)
        if recomputed != model.truth:
            raise RuntimeError(
                "rendered rows disagree with the planted ground truth: "
                f"missing {sorted(model.truth.items() - recomputed.items())[:5]}, "
                f"unexpected {sorted(recomputed.items() - model.truth.items())[:5]}"
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    _write_ground_truth(ground_truth_path, model.truth)
    planted_path = out_dir / "ground_truth" / "planted_processes.csv"
    _write_planted_processes(planted_path, model)
    return GeneratedProcesses(path, rows, ground_truth_path, frozenset(model.truth), planted_path)
