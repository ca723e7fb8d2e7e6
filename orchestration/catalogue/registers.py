"""Registers the indicators check suppliers against: chamber-of-commerce registrations (RUES), SIGEP's
politically exposed persons and sensitive posts, SIRI disciplinary sanctions, and two PACO files
(unfinished works, fiscal liability). API field names follow spec/sources.md; where the spec gives only
CSV headers, the field names are Socrata's rule applied to them, and the missing-column check reports
any difference the first time the real API is read.
"""

from orchestration.catalogue.model import LATEST_VERSION, Column, RowRule, Source, columns, file_columns

# RUES writes unknown dates as placeholders such as 19000101: any year before 1959 means "no date".
RUES_FIRST_YEAR = 1959


def _rues_date(field_name: str) -> Column:
    return Column(field_name, field_name, "date", "yyyyMMdd", min_year=RUES_FIRST_YEAR)


RUES_PERSONAS = Source(
    name="rues_personas",
    default_id="c82u-588k",
    title="Personas Naturales, Personas Jurídicas y Entidades Sin Animo de Lucro (RUES)",
    description="Chamber-of-commerce registrations: one row per (chamber, registration number), with the "
    "registration state (ACTIVA, CANCELADA, ...), dates and legal representative.",
    key=("codigo_camara", "matricula"),
    survivor_order=("fecha_actualizacion desc", *LATEST_VERSION),
    main_date="fecha_matricula",
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
        _rues_date("fecha_vigencia"),
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
        ("fecha_actualizacion", "fecha_actualizacion", "date", "yyyy/MM/dd HH:mm:ss"),
    ),
)

SIGEP_PEP = Source(
    name="sigep_pep",
    default_id="3qxn-uc22",
    title="Personas Expuestas Políticamente (PEP)",
    description="Politically exposed persons reported to SIGEP: person, post, entity, start and end of the "
    "post (no end: still in post). No natural key: one row per Socrata row.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date="fecha_vinculacion",
    columns=columns(
        ("numero_documento", "NUMERO_DOCUMENTO", "document"),
        ("nombre_pep", "NOMBRE_PEP", "name"),
        ("denominacion_cargo", "DENOMINACION_CARGO"),
        ("nombre_entidad", "NOMBRE_ENTIDAD", "name"),
        ("fecha_vinculacion", "FECHA_VINCULACION", "date", "MM/dd/yyyy HH:mm:ss"),
        ("fecha_desvinculacion", "FECHA_DESVINCULACION", "date", "MM/dd/yyyy HH:mm:ss"),
        ("enlace_hoja_vida_sigep", "ENLACE_HOJA_VIDA_SIGEP"),
    ),
)

SIGEP_PUESTOS_SENSIBLES = Source(
    name="sigep_puestos_sensibles",
    default_id="5u9e-g5w9",
    title="Puestos Sensibles a la Corrupción",
    description="Active public servants in posts SIGEP classes as sensitive to corruption, with their "
    "institution and appointment. No natural key: one row per Socrata row.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date="fecha_vinculacion",
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
        ("fecha_vinculacion", "FECHA_VINCULACION", "date", "MM/dd/yyyy HH:mm:ss"),
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
        ("fecha_efectos_juridicos", "FECHA EFECTOS JURIDICOS", "date", "dd/MM/yyyy"),
        ("numero_proceso", "NUMERO PROCESO"),
        ("entidad_sancionado", "ENTIDAD SANCIONADO", "name"),
        ("entidad_departamento", "ENTIDAD DEPARTAMENTO"),
        ("entidad_municipio", "ENTIDAD MUNICIPIO"),
    ),
)

PACO_OBRAS_INCONCLUSAS = Source(
    name="paco_obras_inconclusas",
    default_id="obras_inconclusas.csv",
    title="Registro nacional de obras inconclusas (Ley 2020 de 2020)",
    description="Unfinished public works reported by entities on forms 2000-2011 (column suffix = form): "
    "work, contract, contractor roles, insurer, values and minutes. A PACO file; each change of the file "
    "is a full snapshot.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date=None,
    origin="paco",
    columns=file_columns(
        ("COD_ENTIDAD",),
        ("COD_OBRA",),
        ("CONSECUTIVO",),
        ("NUMERO_ACTA_2011",),
        ("FECHA_2011", "date"),
        ("COMPROMISOS_2011",),
        ("ENTIDAD_2010", "entity_nit"),
        ("NUMERO_PROCESO_2010",),
        ("TIPO_2010",),
        ("ESTADO_2010",),
        ("NIT_ASEGURADORA_2009", "document"),
        ("NOMBRE_ASEGURADORA_2009", "name"),
        ("NUMERO_POLIZA_2009",),
        ("VALOR_ASEGURADO_2009", "number"),
        ("VALOR_2008", "number"),
        ("ROL_2006",),
        ("TIPO_IDENTIFICACION_2006",),
        ("IDENTIFICACION_2006", "document"),
        ("NOMBRE_2006", "name"),
        ("FUENTE_2005",),
        ("PORCENTAJE_2005", "number"),
        ("DEPARTAMENTO_2004",),
        ("MUNICIPIO_2004",),
        ("NUMERO_CONTRATO_2002",),
        ("OBJETO_2002",),
        ("VALOR_CONTRATO_2002", "number"),
        ("PLAZO_EN_DIAS_2002", "integer"),
        ("CODIGO_SECOP_2002",),
        ("NIT_2001", "entity_nit"),
        ("ENTIDAD_2001", "name"),
        ("SECTOR_2000",),
        ("NOMBRE_PROYECTO_2000",),
        ("ULTIMO_AVANCE_2000", "number"),
        ("PRESUPUESTO_TOTAL_2000", "number"),
        ("VALOR_ACTUALIZADO_2003", "number"),
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
    # The data model keeps only TR in (S, I): other rows are shifted or incomplete (spec/sources.md §4.10).
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
