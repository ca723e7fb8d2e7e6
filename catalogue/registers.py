"""Registers the indicators check suppliers against: chamber-of-commerce registrations (RUES), SIGEP's
politically exposed persons and sensitive posts, SIRI disciplinary sanctions, and two PACO files
(unfinished works, fiscal liability). The Socrata ones are current registers: a row the publisher
deletes leaves the trusted zone (`register=True`); a PACO file is a snapshot, replaced whole. Field
names are the API's as public code that reads these datasets uses them; for files, Socrata's rule
applied to the header.
"""

from catalogue.model import (
    LATEST_VERSION,
    Column,
    RowRule,
    Source,
    columns,
    date,
    field_name_of,
    file_columns,
)

# RUES writes unknown dates as placeholders such as 19000101: any year before 1959 means "no date".
RUES_FIRST_YEAR = 1959


def _rues_date(field_name: str, **bounds: int | str) -> Column:
    return date(field_name, field_name, "yyyyMMdd", min_year=RUES_FIRST_YEAR, **bounds)


RUES_PERSONAS = Source(
    name="rues_personas",
    default_id="c82u-588k",
    title="Personas Naturales, Personas Jurídicas y Entidades Sin Animo de Lucro (RUES)",
    description="Chamber-of-commerce registrations: one row per (chamber, registration number), with the "
    "registration state (ACTIVA, CANCELADA, ...), dates and legal representative.",
    key=("codigo_camara", "matricula"),
    survivor_order=("fecha_actualizacion desc", *LATEST_VERSION),
    main_date="fecha_matricula",
    register=True,
    max_age_days=60,  # the chambers report monthly
    columns=columns(
        ("codigo_camara", "codigo_camara", "key"),
        ("camara_comercio", "camara_comercio", "name"),
        ("matricula", "matricula", "key"),
        ("inscripcion_proponente", "inscripcion_proponente"),
        ("razon_social", "razon_social", "name"),
        ("primer_apellido", "primer_apellido", "name"),
        ("segundo_apellido", "segundo_apellido", "name"),
        ("primer_nombre", "primer_nombre", "name"),
        ("segundo_nombre", "segundo_nombre", "name"),
        ("sigla", "sigla", "name"),
        ("codigo_clase_identificacion", "codigo_clase_identificacion"),
        ("clase_identificacion", "clase_identificacion"),
        ("numero_identificacion", "numero_identificacion", "document"),
        ("nit", "nit", "document"),
        ("digito_verificacion", "digito_verificacion"),
        ("cod_ciiu_act_econ_pri", "cod_ciiu_act_econ_pri"),
        ("cod_ciiu_act_econ_sec", "cod_ciiu_act_econ_sec"),
        ("ciiu3", "ciiu3"),
        ("ciiu4", "ciiu4"),
        _rues_date("fecha_matricula"),
        _rues_date("fecha_renovacion"),
        ("ultimo_ano_renovado", "ultimo_ano_renovado", "integer"),
        _rues_date("fecha_vigencia", open_end="99991231", max_years_ahead=500),  # a company's term: 2116 is fine
        _rues_date("fecha_cancelacion"),
        ("codigo_tipo_sociedad", "codigo_tipo_sociedad"),
        ("tipo_sociedad", "tipo_sociedad"),
        ("codigo_organizacion_juridica", "codigo_organizacion_juridica"),
        ("organizacion_juridica", "organizacion_juridica"),
        ("codigo_categoria_matricula", "codigo_categoria_matricula"),
        ("categoria_matricula", "categoria_matricula"),
        ("codigo_estado_matricula", "codigo_estado_matricula"),
        ("estado_matricula", "estado_matricula"),
        ("clase_identificacion_rl", "clase_identificacion_RL"),
        ("num_identificacion_representante_legal", "Num Identificacion Representante Legal", "document"),
        ("representante_legal", "Representante Legal", "name"),
        date("fecha_actualizacion", "fecha_actualizacion", "yyyy/MM/dd HH:mm:ss"),  # 2024/03/15 08:12:44.000000000
    ),
)

# SIGEP dates: day-first text from the API, month-first with a time from the CSV export (never ambiguous:
# one has a time, the other none), or ISO when the column is a calendar date.
SIGEP_DATE_FORMATS = ("dd/MM/yyyy", "MM/dd/yyyy HH:mm:ss", "MM/dd/yyyy hh:mm:ss a")

SIGEP_PEP = Source(
    name="sigep_pep",
    default_id="3qxn-uc22",
    title="Personas Expuestas Políticamente (PEP)",
    description="Politically exposed persons reported to SIGEP: person, post, entity, start and end of the "
    "post (no end: still in post). No natural key: one row per Socrata row. The API serves the dates as "
    "day-first text (20/07/2018), the portal's CSV export month-first with a time: both are read.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date="fecha_vinculacion",
    register=True,
    max_age_days=120,
    columns=columns(
        ("numero_documento", "NUMERO_DOCUMENTO", "document"),
        ("nombre_pep", "NOMBRE_PEP", "name"),
        ("denominacion_cargo", "DENOMINACION_CARGO"),
        ("nombre_entidad", "NOMBRE_ENTIDAD", "name"),
        date("fecha_vinculacion", "FECHA_VINCULACION", *SIGEP_DATE_FORMATS),
        date("fecha_desvinculacion", "FECHA_DESVINCULACION", *SIGEP_DATE_FORMATS),
        ("enlace_hoja_vida_sigep", "ENLACE_HOJA_VIDA_SIGEP", "url"),  # {"url": ".../0-0-0"} when there is none
    ),
)

SIGEP_PUESTOS_SENSIBLES = Source(
    name="sigep_puestos_sensibles",
    default_id="5u9e-g5w9",
    title="Puestos Sensibles a la Corrupción",
    description="Active public servants in posts SIGEP classes as sensitive to corruption, with their "
    "institution and appointment. No natural key: one row per Socrata row. Start dates with years such as "
    "2887 occur (null, noted); the basic salary comes with thousands separators (5,458,553).",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date="fecha_vinculacion",
    register=True,
    max_age_days=120,
    columns=columns(
        ("tipo_dcto", "TIPO_DCTO"),
        ("identificacion_funcionario", "IDENTIFICACION_FUNCIONARIO", "document"),
        ("nombre_completo", "NOMBRE_COMPLETO", "name"),
        ("sexo", "SEXO"),
        ("nacionalidad", "NACIONALIDAD"),
        ("municipio_nacimiento", "MUNICIPIO_NACIMIENTO"),
        ("dpto_nacimiento", "DPTO_NACIMIENTO"),
        ("meses_experiencia_publico", "MESES_EXPERIENCIA_PUBLICO", "integer"),
        ("meses_experiencia_privado", "MESES_EXPERIENCIA_PRIVADO", "integer"),
        ("meses_exp_neg_propio", "MESES_EXP_NEG_PROPIO", "integer"),
        ("meses_experiencia_docente", "MESES_EXPERIENCIA_DOCENTE", "integer"),
        ("nivel_academico", "NIVEL_ACADEMICO"),
        ("nivel_formacion", "NIVEL_FORMACION"),
        ("cod_institucion", "COD_INSTITUCION"),
        ("nombre_institucion", "NOMBRE_INSTITUCION", "name"),
        ("municipio_institucion", "MUNICIPIO_INSTITUCION"),
        ("dpto_institucion", "DPTO_INSTITUCION"),
        ("orden", "ORDEN"),
        ("sector_admtivo", "SECTOR_ADMTIVO"),
        ("naturaleza_juridica", "NATURALEZA_JURIDICA"),
        ("clasificacion_organica", "CLASIFICACION_ORGANICA"),
        ("nivel_jerarquico_empleo", "NIVEL_JERARQUICO_EMPLEO"),
        ("tipo_nombramiento", "TIPO_NOMBRAMIENTO"),
        ("denominacion_empleo_actual", "DENOMINACION_EMPLEO_ACTUAL"),
        ("dependencia_empleo_actual", "DEPENDENCIA_EMPLEO_ACTUAL"),
        ("asig_basica", "ASIG_BASICA", "number"),
        date("fecha_vinculacion", "FECHA_VINCULACION", *SIGEP_DATE_FORMATS),
    ),
)

SIRI_SANCIONES = Source(
    name="siri_sanciones",
    default_id="iaeu-rcn6",
    title="Antecedentes de SIRI (sanciones e inhabilidades)",
    description="Disciplinary sanctions and disqualifications certified by the Procuraduría (SIRI). The "
    "document number comes padded with spaces. No natural key: one row per Socrata row.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date="fecha_efectos_juridicos",
    register=True,
    max_age_days=90,
    columns=columns(
        ("numero_siri", "NUMERO SIRI"),
        ("tipo_inhabilidad", "TIPO INHABILIDAD"),
        ("calidad_persona", "CALIDAD PERSONA"),
        ("tipo_identificacion", "TIPO IDENTIFICACION"),
        ("nombre_tipo_identificacion", "NOMBRE TIPO IDENTIFICACION"),
        ("numero_identificacion", "NUMERO IDENTIFICACION", "document"),
        ("primer_apellido", "PRIMER APELLIDO", "name"),
        ("segundo_apellido", "SEGUNDO APELLIDO", "name"),
        ("primer_nombre", "PRIMER NOMBRE", "name"),
        ("segundo_nombre", "SEGUNDO NOMBRE", "name"),
        ("cargo", "CARGO"),
        ("lugar_hechos_departamento", "LUGAR HECHOS DEPARTAMENTO"),
        ("lugar_hechos_municipio", "LUGAR HECHOS MUNICIPIO"),
        ("sanciones", "SANCIONES"),
        ("duracion_anos", "DURACION ANOS", "integer"),
        ("duracion_mes", "DURACION MES", "integer"),
        ("duracion_dias", "DURACION DIAS", "integer"),
        ("providencia", "PROVIDENCIA"),
        ("autoridad", "AUTORIDAD"),
        date("fecha_efectos_juridicos", "FECHA EFECTOS JURIDICOS", "dd/MM/yyyy"),
        ("numero_proceso", "NUMERO PROCESO"),
        ("entidad_sancionado", "ENTIDAD SANCIONADO", "name"),
        ("entidad_departamento", "ENTIDAD DEPARTAMENTO"),
        ("entidad_municipio", "ENTIDAD MUNICIPIO"),
    ),
)

# The works register's dates: ISO, or day-first as Colombian files write them (never month-first).
WORKS_DATE_FORMATS = ("dd/MM/yyyy", "dd/MM/yyyy HH:mm:ss")


def _works_date(header: str, **bounds: int) -> Column:
    return date(field_name_of(header), header, *WORKS_DATE_FORMATS, **bounds)


PACO_OBRAS_INCONCLUSAS = Source(
    name="paco_obras_inconclusas",
    default_id="MD-2000-2011.xls",
    title="Registro nacional de obras inconclusas (Ley 2020 de 2020)",
    description="Unfinished public works reported by entities on forms 2000-2011 (column suffix = form): "
    "work, contract, contractor roles, insurer, values and minutes. A PACO file: comma-separated text "
    "despite its .xls name, 81 columns led by an unnamed row number, data lines possibly wrapped in an extra "
    "pair of quotes; each change of the file is a full snapshot.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date=None,
    origin="paco",
    max_age_days=400,  # the register is reported yearly
    columns=file_columns(
        Column("numero_registro", "", "integer"),  # the file's unnamed first column
        ("COD_ENTIDAD",),
        ("COD_OBRA",),
        ("CONSECUTIVO",),
        ("NUMERO_ACTA_2011",),
        _works_date("FECHA_2011"),
        ("COMPROMISOS_2011",),
        ("ENTIDAD_2010", "document"),  # the entity's NIT; letters occur (the seed strips them)
        ("NUMERO_PROCESO_2010",),
        ("TIPO_2010",),
        ("ESTADO_2010",),
        ("NIT_ASEGURADORA_2009", "document"),
        ("NOMBRE_ASEGURADORA_2009", "name"),
        _works_date("FECHA_INICIO_2009"),
        _works_date("FECHA_FIN_2009", max_years_ahead=50),
        ("NUMERO_POLIZA_2009",),
        ("VALOR_ASEGURADO_2009", "number"),
        ("TIPO_GARANTIA_2009",),
        ("RIESGOS_2009",),
        ("INDEMNIZACION_2009",),
        ("VALOR_INDEMNIZADO_2009", "number"),
        ("VALOR_2008", "number"),
        _works_date("FECHA_2008"),
        ("ESTADO_PRESUPUESTO_2008",),
        ("DESCRIPCION_2007",),
        _works_date("FECHA_2007"),
        ("AUTORIDAD_2007",),
        ("NUMERO_LICENCIA_2007",),
        ("ROL_2006",),
        ("TIPO_IDENTIFICACION_2006",),
        ("IDENTIFICACION_2006", "document"),
        ("NOMBRE_2006", "name"),
        ("FUENTE_2005",),
        ("PORCENTAJE_2005", "number"),
        ("COD_DEPARTAMENTO_2004",),
        ("DEPARTAMENTO_2004",),
        ("COD_CIUDAD_2004",),
        ("CIUDAD_2004",),
        _works_date("FECHA_INICIO_2002"),
        ("OTROSI_2002",),
        ("TIPO_MODIFICACION_2002",),
        ("NUMERO_CONTRATO_2002",),
        ("JUSTIFICACION_2002",),
        ("OBJETO_2002",),
        ("VALOR_CONTRATO_2002", "number"),
        ("PLAZO_EN_DIAS_2002", "integer"),
        ("ESTA_SECOP_2002",),
        ("CODIGO_SECOP_2002",),
        ("DESCRIPCION_2000",),
        ("COD_SECTOR_2000",),
        ("SECTOR_2000",),
        ("GRUPO_2000",),
        ("NOMBREENTIDAD_2000", "name"),
        ("AREA_PREDIO_2000", "number"),
        ("AREA_CONTRATADA_2000", "number"),
        ("AREA_CONSTRUIDA_2000", "number"),
        ("ULTIMO_AVANCE_2000", "number"),
        ("PRESUPUESTO_TOTAL_2000", "number"),
        ("MATRICULA_INMOBILIARIA_2000",),
        ("CEDULA_CATASTRAL_2000",),
        ("PORQUE_ESTADO_2000",),
        ("DECISION_ADMIN_2000",),
        ("ACTO_ADMINISTRATIVO_2000",),
        ("CLASE_OBRA_2000",),
        ("ESTADO_REGISTRO_2000",),
        ("ORIGEN_REGISTRO_2000",),
        ("TIPO_REPORTE_2000",),
        ("RAZ_NOUSO_2000",),
        ("LONGITUDINICIAL_2000", "number"),
        ("LONGITUDFINAL_2000", "number"),
        ("LATITUDINICIAL_2000", "number"),
        ("LATITUDFINAL_2000", "number"),
        ("PR_INICIAL_2000",),
        ("PR_INICIAL_M_2000",),
        ("PR_FINAL_2000",),
        ("PR_FINAL_M_2000",),
        ("NIT_2001", "document"),  # likewise
        ("ENTIDAD_2001", "name"),
        ("DESCRIPCION_2003",),
        ("VALOR_2003", "number"),
        _works_date("FECHA_2003"),
    ),
)

PACO_RESPONSABILIDAD_FISCAL = Source(
    name="paco_responsabilidad_fiscal",
    default_id="responsabilidades_fiscales.csv",
    title="Boletín de responsables fiscales (Contraloría)",
    description="People and companies declared fiscally liable by the Contraloría, as a quarterly snapshot "
    "published on PACO. TR is I (individual) or S (solidary). A PACO file; each change is a full snapshot.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date=None,
    origin="paco",
    max_age_days=200,  # a quarterly bulletin
    # The data model keeps only TR in (S, I): other rows are shifted or incomplete
    # (docs/sources.md#paco_responsabilidad_fiscal).
    row_rules=(RowRule("trim(tr) in ('I', 'S')", "TR is not I or S (shifted or incomplete row)"),),
    columns=file_columns(
        ("Responsable Fiscal", "name"),
        ("Tipo y Num Docuemento", "combined_document"),
        ("Entidad Afectada", "name"),
        ("TR",),
        ("R", "integer"),
        ("Ente que Reporta",),
        ("Departamento",),
        ("Municipio",),
    ),
)
