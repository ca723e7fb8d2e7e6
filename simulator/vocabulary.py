"""Word lists and value tables of the generated portal: places, names, companies, modalities, states."""

from __future__ import annotations

import unicodedata

import numpy as np

NO_DEFINIDO = "No Definido"
NO_ADJUDICADO = "No Adjudicado"
SECOP_PREFIX = "SECOP:"
URL_PREFIX = '{"url":"https://community.secop.gov.co/Public/Tendering/OpportunityDetail/Index?noticeUID=CO1.NTC.'
URL_SUFFIX = '&isFromPublicArea=True&isModal=False"}'
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.000"


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


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


SECTORS = (
    "Educación Nacional", "Salud y Protección Social", "Transporte", "Hacienda y Crédito Público", "defensa",
    "agricultura", "deportes", "Trabajo", "Servicio Público", "Vivienda Ciudad y Territorio", "Cultura",
)  # fmt: skip
NO_SECTOR = "No aplica/No pertenece"  # the contracts' value for an entity of no sector
ENTITY_SECTORS = (*SECTORS, NO_SECTOR)


def entity_sector(nit: int) -> str:
    """The sector every contract of the entity with base NIT `nit` names (one per entity, as in SECOP II)."""
    return ENTITY_SECTORS[nit % len(ENTITY_SECTORS)]


CIIU = ("4290", "4711", "4659", "7110", "8299", "4111", "4752", "6201", "4923", "5611", "8121", "4645", "7020")
