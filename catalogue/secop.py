"""SECOP datasets: SECOP II processes, contracts, offers, cancelled contracts, fines, execution; SECOP I;
the virtual store (TVEC). Field names are the API's (`columns[].fieldName`), as public code reading the
portal and real rows show them (docs/sources.md); display names are the CSV-export headers.
"""

from dataclasses import replace

from catalogue.model import LATEST_VERSION, Column, Source, columns, date

SECOP_II_PROCESOS = Source(
    name="secop_ii_procesos",
    default_id="p6dx-8zbt",
    title="SECOP II - Procesos de Contratación",
    description=(
        "SECOP II procurement processes, one row per process phase/notice version, with the award "
        "fields (adjudicado, supplier, award date and value)."
    ),
    key=("id_del_proceso",),
    survivor_order=("fecha_de_ultima_publicaci desc", "_source_updated_at desc", "_row_id desc"),
    main_date="fecha_de_publicacion_del",
    max_age_days=7,  # updated daily
    columns=columns(
        ("entidad", "Entidad", "name"),
        ("nit_entidad", "Nit Entidad", "entity_nit"),
        ("departamento_entidad", "Departamento Entidad"),
        ("ciudad_entidad", "Ciudad Entidad"),
        ("ordenentidad", "OrdenEntidad"),
        ("codigo_pci", "Entidad Centralizada"),
        ("id_del_proceso", "ID del Proceso", "key"),
        ("referencia_del_proceso", "Referencia del Proceso"),
        ("ppi", "PCI"),
        ("id_del_portafolio", "ID del Portafolio"),
        ("nombre_del_procedimiento", "Nombre del Procedimiento"),
        ("descripci_n_del_procedimiento", "Descripción del Procedimiento"),
        ("fase", "Fase"),
        ("fecha_de_publicacion_del", "Fecha de Publicacion del Proceso", "date"),
        ("fecha_de_ultima_publicaci", "Fecha de Ultima Publicación", "date"),
        ("fecha_de_publicacion", "Fecha de Publicacion (Manifestacion de Interes)", "date"),
        ("precio_base", "Precio Base", "amount"),
        ("modalidad_de_contratacion", "Modalidad de Contratacion"),
        ("justificaci_n_modalidad_de", "Justificación Modalidad de Contratación"),
        ("duracion", "Duracion", "integer"),
        ("unidad_de_duracion", "Unidad de Duracion"),
        ("fecha_de_recepcion_de", "Fecha de Recepcion de Respuestas", "date"),
        ("fecha_de_apertura_de_respuesta", "Fecha de Apertura de Respuesta", "date"),
        ("fecha_de_apertura_efectiva", "Fecha de Apertura Efectiva", "date"),
        ("ciudad_de_la_unidad_de", "Ciudad de la Unidad de Contratación"),
        ("nombre_de_la_unidad_de", "Nombre de la Unidad de Contratación"),
        ("proveedores_invitados", "Proveedores Invitados", "integer"),
        ("proveedores_con_invitacion", "Proveedores con Invitacion Directa", "integer"),
        ("visualizaciones_del", "Visualizaciones del Procedimiento", "integer"),
        ("proveedores_que_manifestaron", "Proveedores que Manifestaron Interes", "integer"),
        ("respuestas_al_procedimiento", "Respuestas al Procedimiento", "integer"),
        ("respuestas_externas", "Respuestas Externas", "integer"),
        ("conteo_de_respuestas_a_ofertas", "Conteo de Respuestas a Ofertas", "integer"),
        ("proveedores_unicos_con", "Proveedores Unicos con Respuestas", "integer"),
        ("numero_de_lotes", "Numero de Lotes", "integer"),
        ("estado_del_procedimiento", "Estado del Procedimiento"),
        ("id_estado_del_procedimiento", "ID Estado del Procedimiento"),
        ("adjudicado", "Adjudicado"),
        ("id_adjudicacion", "ID Adjudicacion"),
        ("codigoproveedor", "CodigoProveedor", "code"),
        ("departamento_proveedor", "Departamento Proveedor"),
        ("ciudad_proveedor", "Ciudad Proveedor"),
        ("fecha_adjudicacion", "Fecha Adjudicacion", "date"),
        ("valor_total_adjudicacion", "Valor Total Adjudicacion", "amount"),
        ("nombre_del_adjudicador", "Nombre del Adjudicador"),
        ("nombre_del_proveedor", "Nombre del Proveedor Adjudicado", "name"),
        ("nit_del_proveedor_adjudicado", "NIT del Proveedor Adjudicado", "document"),
        ("codigo_principal_de_categoria", "Codigo Principal de Categoria"),
        ("estado_de_apertura_del_proceso", "Estado de Apertura del Proceso"),
        ("tipo_de_contrato", "Tipo de Contrato"),
        ("subtipo_de_contrato", "Subtipo de Contrato"),
        ("categorias_adicionales", "Categorias Adicionales"),
        ("urlproceso", "URLProceso", "url"),
        ("codigo_entidad", "Codigo Entidad"),
        ("estado_resumen", "Estado Resumen"),
    ),
)

# SECOP II electronic contracts: the 81 API fields of a raw 100-row sample (INDEX.md of real_samples),
# plus the supplier, representative and BPIN fields of the DaniellaGuerra6 sample.
CONTRACT_COLUMNS = columns(
    ("nombre_entidad", "Nombre Entidad", "name"),
    ("nit_entidad", "Nit Entidad", "entity_nit"),
    ("departamento", "Departamento"),
    ("ciudad", "Ciudad"),
    ("localizaci_n", "Localización"),
    ("orden", "Orden"),
    ("sector", "Sector"),
    ("rama", "Rama"),
    ("entidad_centralizada", "Entidad Centralizada"),
    ("proceso_de_compra", "Proceso de Compra"),
    ("id_contrato", "ID Contrato", "key"),
    ("referencia_del_contrato", "Referencia del Contrato"),
    ("estado_contrato", "Estado Contrato"),
    ("codigo_de_categoria_principal", "Codigo de Categoria Principal"),
    ("descripcion_del_proceso", "Descripcion del Proceso"),
    ("tipo_de_contrato", "Tipo de Contrato"),
    ("modalidad_de_contratacion", "Modalidad de Contratacion"),
    ("justificacion_modalidad_de", "Justificacion Modalidad de Contratacion"),
    ("fecha_de_firma", "Fecha de Firma", "date"),
    ("fecha_de_inicio_del_contrato", "Fecha de Inicio del Contrato", "date"),
    date("fecha_de_fin_del_contrato", "Fecha de Fin del Contrato", max_years_ahead=50),  # concessions run long
    ("condiciones_de_entrega", "Condiciones de Entrega"),
    ("tipodocproveedor", "TipoDocProveedor"),
    ("documento_proveedor", "Documento Proveedor", "document"),
    ("codigo_proveedor", "Codigo Proveedor", "code"),
    ("proveedor_adjudicado", "Proveedor Adjudicado", "name"),
    ("es_grupo", "Es Grupo"),
    ("es_pyme", "Es Pyme"),
    ("habilita_pago_adelantado", "Habilita Pago Adelantado"),
    ("liquidaci_n", "Liquidación"),
    ("obligaci_n_ambiental", "Obligación Ambiental"),
    ("obligaciones_postconsumo", "Obligaciones Postconsumo"),
    ("reversion", "Reversion"),
    ("origen_de_los_recursos", "Origen de los Recursos"),
    ("destino_gasto", "Destino Gasto"),
    ("valor_del_contrato", "Valor del Contrato", "amount"),
    ("valor_de_pago_adelantado", "Valor de pago adelantado", "number"),
    ("valor_facturado", "Valor Facturado", "number"),
    ("valor_pendiente_de_pago", "Valor Pendiente de Pago", "number"),
    ("valor_pagado", "Valor Pagado", "number"),
    ("valor_amortizado", "Valor Amortizado", "number"),
    ("valor_pendiente_de", "Valor Pendiente de Amortizacion", "number"),
    ("valor_pendiente_de_ejecucion", "Valor Pendiente de Ejecucion", "number"),
    ("saldo_cdp", "Saldo CDP", "number"),
    ("saldo_vigencia", "Saldo Vigencia", "number"),
    ("espostconflicto", "EsPostConflicto"),
    ("dias_adicionados", "Dias adicionados", "integer"),
    ("puntos_del_acuerdo", "Puntos del Acuerdo"),
    ("pilares_del_acuerdo", "Pilares del Acuerdo"),
    ("urlproceso", "URLProceso", "url"),
    ("nombre_representante_legal", "Nombre Representante Legal", "name"),
    ("nacionalidad_representante_legal", "Nacionalidad Representante Legal"),
    ("domicilio_representante_legal", "Domicilio Representante Legal"),
    ("tipo_de_identificaci_n_representante_legal", "Tipo de Identificación Representante Legal"),
    ("identificaci_n_representante_legal", "Identificación Representante Legal", "document"),
    ("g_nero_representante_legal", "Género Representante Legal"),
    ("presupuesto_general_de_la_nacion_pgn", "Presupuesto General de la Nacion – PGN", "number"),
    ("sistema_general_de_participaciones", "Sistema General de Participaciones", "number"),
    ("sistema_general_de_regal_as", "Sistema General de Regalías", "number"),
    (
        "recursos_propios_alcald_as_gobernaciones_y_resguardos_ind_genas_",
        "Recursos Propios (Alcaldías, Gobernaciones y Resguardos Indígenas)",
        "number",
    ),
    ("recursos_de_credito", "Recursos de Credito", "number"),
    ("recursos_propios", "Recursos Propios", "number"),
    ("ultima_actualizacion", "Ultima Actualizacion", "date"),
    ("codigo_entidad", "Codigo Entidad"),
    ("fecha_inicio_liquidacion", "Fecha Inicio Liquidacion", "date"),
    ("fecha_fin_liquidacion", "Fecha Fin Liquidacion", "date"),
    ("objeto_del_contrato", "Objeto del Contrato"),
    ("duraci_n_del_contrato", "Duración del contrato"),
    ("el_contrato_puede_ser_prorrogado", "El contrato puede ser prorrogado"),
    ("fecha_de_notificaci_n_de_prorrogaci_n", "Fecha de notificación de prorrogación", "date"),
    ("tipo_de_documento_ordenador_del_gasto", "Tipo de Documento Ordenador del Gasto"),
    ("tipo_de_documento_supervisor", "Tipo de Documento supervisor"),
    ("tipo_de_documento_ordenador_de_pago", "Tipo de Documento Ordenador de Pago"),
    ("documentos_tipo", "Documentos Tipo"),
    ("descripcion_documentos_tipo", "Descripcion Documentos Tipo"),
    ("direcci_n_de_ejecuci_n_del_contrato", "Dirección de ejecución del contrato"),
    ("criterios_de_sostenibilidad_ambiental", "Criterios de Sostenibilidad Ambiental"),
    (
        "requisitos_ambientales_en_las_especificaciones_t_cnicas",
        "Requisitos ambientales en las especificaciones técnicas",
    ),
    ("criterios_ambientales_en_la_evaluaci_n_de_las_ofertas", "Criterios ambientales en la evaluación de las ofertas"),
    (
        "obligaciones_contractuales_o_poscontractuales_a_nivel_ambiental",
        "Obligaciones contractuales o poscontractuales a nivel ambiental",
    ),
    ("uso_de_etiquetado_ecol_gico", "Uso de etiquetado ecológico"),
    ("obligaciones_posconsumo", "Obligaciones posconsumo"),
    ("fecha_inicio_obligaciones_posconsumo", "Fecha inicio obligaciones posconsumo", "date"),
    ("fecha_fin_obligaciones_posconsumo", "Fecha fin obligaciones posconsumo", "date"),
    ("fecha_inicio_reversi_n", "Fecha inicio reversión", "date"),
    ("fecha_fin_reversi_n", "Fecha fin reversión", "date"),
    ("c_digo_bpin", "Código BPIN"),
    ("estado_bpin", "Estado BPIN"),
    ("anno_bpin", "Año BPIN"),
)

CONTRACT_SURVIVOR = ("ultima_actualizacion desc", *LATEST_VERSION)

SECOP_II_CONTRATOS = Source(
    name="secop_ii_contratos",
    default_id="jbjy-vk9h",
    title="SECOP II - Contratos Electrónicos",
    description="SECOP II electronic contracts, one row per contract (CO1.PCCNTR.*): parties, dates, values, "
    "payments and funding sources. Our award grain where a contract exists.",
    key=("id_contrato",),
    survivor_order=CONTRACT_SURVIVOR,
    main_date="fecha_de_firma",
    max_age_days=7,
    columns=CONTRACT_COLUMNS,
)

# Cancelled contracts: the contract family's fields as the dataset was published (the only public reader,
# of 2023, uses them), with the older truncated names of nine fields, the execution dates, and
# `fechamodificacion` (when the contract was cancelled) instead of `ultima_actualizacion`.
_TRUNCATED = {
    "d_as_adicionados": "dias_adicionados",
    "nacionalidad_representante": "nacionalidad_representante_legal",
    "tipo_de_identificaci_n": "tipo_de_identificaci_n_representante_legal",
    "identificaci_n_representante": "identificaci_n_representante_legal",
    "presupuesto_general_de_la": "presupuesto_general_de_la_nacion_pgn",
    "sistema_general_de": "sistema_general_de_participaciones",
    "sistema_general_de_regal": "sistema_general_de_regal_as",
    "recursos_propios_alcald_as": "recursos_propios_alcald_as_gobernaciones_y_resguardos_ind_genas_",
}
_CANCELLED_ONLY = {
    column.field_name: column
    for column in columns(
        ("fecha_de_inicio_de_ejecucion", "Fecha de Inicio de Ejecucion", "date"),
        ("fecha_de_fin_de_ejecucion", "Fecha de Fin de Ejecucion", "date"),
        ("fechamodificacion", "FechaModificacion", "date"),
    )
}
_CANCELLED_FIELDS = (
    "nombre_entidad nit_entidad departamento ciudad localizaci_n orden sector rama entidad_centralizada "
    "proceso_de_compra id_contrato referencia_del_contrato estado_contrato codigo_de_categoria_principal "
    "descripcion_del_proceso tipo_de_contrato modalidad_de_contratacion justificacion_modalidad_de fecha_de_firma "
    "fecha_de_inicio_del_contrato fecha_de_fin_del_contrato fecha_de_inicio_de_ejecucion fecha_de_fin_de_ejecucion "
    "condiciones_de_entrega tipodocproveedor documento_proveedor proveedor_adjudicado es_grupo es_pyme "
    "habilita_pago_adelantado liquidaci_n obligaci_n_ambiental obligaciones_postconsumo reversion "
    "origen_de_los_recursos destino_gasto valor_del_contrato valor_de_pago_adelantado valor_facturado "
    "valor_pendiente_de_pago valor_pagado valor_amortizado valor_pendiente_de valor_pendiente_de_ejecucion "
    "estado_bpin c_digo_bpin anno_bpin saldo_cdp saldo_vigencia espostconflicto d_as_adicionados "
    "puntos_del_acuerdo pilares_del_acuerdo urlproceso nombre_representante_legal nacionalidad_representante "
    "domicilio_representante_legal tipo_de_identificaci_n identificaci_n_representante g_nero_representante_legal "
    "presupuesto_general_de_la sistema_general_de sistema_general_de_regal recursos_propios_alcald_as "
    "recursos_de_credito recursos_propios fechamodificacion codigo_entidad codigo_proveedor"
).split()


def _cancelled_column(field_name: str) -> Column:
    if field_name in _CANCELLED_ONLY:
        return _CANCELLED_ONLY[field_name]
    contract = next(c for c in CONTRACT_COLUMNS if c.field_name == _TRUNCATED.get(field_name, field_name))
    return replace(contract, field_name=field_name)


SECOP_II_CONTRATOS_CANCELADOS = Source(
    name="secop_ii_contratos_cancelados",
    default_id="8uyg-q2s6",
    title="SECOPII - Contratos Cancelados",
    description="SECOP II contracts in state cancelled, with their supplier, legal representative and the "
    "date of the cancellation (fechamodificacion). When the dataset is not published (HTTP 404), the SECOP II "
    "contracts in state Cancelado stand in for it.",
    key=("id_contrato",),
    survivor_order=("fechamodificacion desc", *LATEST_VERSION),
    main_date="fecha_de_firma",
    max_age_days=30,
    stand_in="secop_ii_contratos",
    columns=tuple(_cancelled_column(name) for name in _CANCELLED_FIELDS),
)

SECOP_II_OFERTAS = Source(
    name="secop_ii_ofertas",
    default_id="wi7w-2nvm",
    title="SECOPII - Ofertas Por Proceso",
    description="Every offer received in a SECOP II process (id_del_proceso_de_compra joins the process's "
    "id_del_portafolio), with the bidder and the offered value.",
    key=("identificador_de_la_oferta",),
    survivor_order=LATEST_VERSION,
    main_date="fecha_de_registro",
    max_age_days=7,
    columns=columns(
        ("fecha_de_registro", "Fecha de Registro", "date"),
        ("referencia_de_la_oferta", "Referencia de la Oferta"),
        ("identificador_de_la_oferta", "Identificador de la Oferta", "key"),
        ("valor_de_la_oferta", "Valor de la Oferta", "amount"),
        ("entidad_compradora", "Entidad Compradora", "name"),
        ("nit_entidad_compradora", "NIT Entidad Compradora", "entity_nit"),
        ("moneda", "Moneda"),
        ("descripcion_del_procedimiento", "Descripcion del Procedimiento"),
        ("referencia_del_proceso", "Referencia del Proceso"),
        ("id_del_proceso_de_compra", "ID del Proceso de Compra"),
        ("modalidad", "Modalidad"),
        ("invitacion_directa", "Invitacion Directa"),
        ("nombre_proveedor", "Nombre Proveedor", "name"),
        ("nit_del_proveedor", "NIT del Proveedor", "document"),
        ("c_digo_entidad", "Codigo Entidad"),
        ("c_digo_proveedor", "Codigo Proveedor", "code"),
    ),
)

SECOP_II_MULTAS = Source(
    name="secop_ii_multas",
    default_id="it5q-hg94",
    title="SECOPII - Multas y Sanciones",
    description="Fines, penalty clauses and other sanctions that SECOP II entities imposed on contractors; "
    "the highest version of each (process, contract, act) survives: the contract alone is often `No definido`. "
    "The sanctioned supplier is known by a 7-8 digit code whose meaning is unsettled (a SECOP supplier code or "
    "a document): barred_fines tries both.",
    key=("id_proceso", "id_contrato", "numero_de_acto"),
    survivor_order=("numero_de_version desc", *LATEST_VERSION),
    main_date="fecha_evento",
    max_age_days=180,  # some 550 rows, rarely updated
    columns=columns(
        ("id_proceso", "ID Proceso", "key"),
        ("referencia_proceso", "Referencia Proceso"),
        ("id_contrato", "ID Contrato", "key"),
        ("codigo_entidad_creadora", "Codigo Entidad Creadora"),
        ("nombre_entidad_creadora", "Nombre Entidad Creadora", "name"),
        ("as_codigo_proveedor_objeto", " Codigo Proveedor Objeto de la Multa", "code"),
        ("nombre_proveedor_objeto_de", "Nombre Proveedor Objeto de la Multa", "name"),
        ("valor", "Valor", "amount"),
        ("valor_pagado", "Valor Pagado", "number"),
        ("fecha_evento", "Fecha Evento", "date"),
        ("aplico_garantias", "Aplico Garantias"),
        ("numero_de_acto", "Numero de Acto", "key"),
        ("tipo_de_sancion", "Tipo de Sancion"),
        ("descripcion_otro_tipo_de", "Descripcion Otro Tipo De Sancion"),
        ("estado", "Estado"),
        ("tipo", "Tipo"),
        ("numero_de_version", "Numero de Version", "integer"),
    ),
)

SECOP_II_EJECUCION = Source(
    name="secop_ii_ejecucion",
    default_id="mfmm-jqmq",
    title="SECOP II - Ejecución Contratos",
    description="Delivery plan lines of SECOP II contracts: expected and real delivery dates, planned, "
    "awarded and received quantities, expected and real progress and the contract's state. No natural key: "
    "one row per Socrata row.",
    key=("_row_id",),
    survivor_order=LATEST_VERSION,
    main_date="fechacreacion",
    max_age_days=14,
    columns=columns(
        ("identificadorcontrato", "IdentificadorContrato"),
        ("tipoejecucion", "TipoEjecucion"),
        ("nombreplan", "NombrePlan"),
        ("fechadeentregaesperada", "FechaDeEntregaEsperada", "date"),
        ("porcentajedeavanceesperado", "PorcentajeDeAvanceEsperado", "number"),
        # Real delivery dates in years such as 18, 202, 218, 219 or 221 are typos: null, noted.
        ("fechadeentregareal", "FechaDeEntregaReal", "date"),
        ("porcentaje_de_avance_real", "Porcentaje de Avance Real", "number"),
        ("estado_del_contrato", "Estado del Contrato"),
        ("referencia_de_articulos", "Referencia de Articulos"),
        ("descripci_n", "Descripción"),
        ("unidad", "Unidad"),
        ("cantidad_adjudicada", "Cantidad Adjudicada", "number"),
        ("cantidad_planeada", "Cantidad Planeada", "number"),
        ("cantidadrecibida", "CantidadRecibida", "number"),
        ("cantidadporrecibir", "CantidadPorRecibir", "number"),
        ("fechacreacion", "FechaCreacion", "date"),
    ),
)

SECOP_I_PROCESOS = Source(
    name="secop_i_procesos",
    default_id="f789-7hwg",
    title="SECOP I - Procesos de Compra Pública",
    description="SECOP I processes and their contracts (the platform before SECOP II), one row per award "
    "(uid), with contractor, values and additions.",
    key=("uid",),
    survivor_order=("ultima_actualizacion desc", *LATEST_VERSION),
    main_date="fecha_de_cargue_en_el_secop",
    max_age_days=60,
    columns=columns(
        ("uid", "UID", "key"),
        ("anno_cargue_secop", "Anno Cargue SECOP", "integer"),
        ("anno_firma_contrato", "Anno Firma del Contrato", "integer"),
        ("nivel_entidad", "Nivel Entidad"),
        ("orden_entidad", "Orden Entidad"),
        ("nombre_entidad", "Nombre Entidad", "name"),
        ("nit_de_la_entidad", "NIT de la Entidad", "entity_nit"),
        ("c_digo_de_la_entidad", "Código de la Entidad"),
        ("id_modalidad", "ID Modalidad"),
        ("modalidad_de_contratacion", "Modalidad de Contratacion"),
        ("estado_del_proceso", "Estado del Proceso"),
        ("causal_de_otras_formas_de", "Causal de Otras Formas de Contratacion Directa"),
        ("id_regimen_de_contratacion", "ID Regimen de Contratacion"),
        ("nombre_regimen_de_contratacion", "Nombre Regimen de Contratacion"),
        ("id_objeto_a_contratar", "ID Objeto a Contratar"),
        ("objeto_a_contratar", "Objeto a Contratar"),
        ("detalle_del_objeto_a_contratar", "Detalle del Objeto a Contratar"),
        ("tipo_de_contrato", "Tipo de Contrato"),
        ("municipio_de_obtencion", "Municipio Obtencion"),
        ("municipio_de_entrega", "Municipio Entrega"),
        ("fecha_de_cargue_en_el_secop", "Fecha de Cargue en el SECOP", "date"),
        ("numero_de_constancia", "Numero de Constancia"),
        ("numero_de_proceso", "Numero de Proceso"),
        ("numero_de_contrato", "Numero del Contrato"),
        ("cuantia_proceso", "Cuantia Proceso", "amount"),
        ("id_grupo", "ID Grupo"),
        ("nombre_grupo", "Nombre Grupo"),
        ("id_familia", "ID Familia"),
        ("nombre_familia", "Nombre Familia"),
        ("id_clase", "ID Clase"),
        ("nombre_clase", "Nombre Clase"),
        ("id_adjudicacion", "ID Adjudicacion"),
        ("tipo_identifi_del_contratista", "Tipo Identifi del Contratista"),
        ("identificacion_del_contratista", "Identificacion del Contratista", "document"),
        ("nom_razon_social_contratista", "Nom Razon Social Contratista", "name"),
        ("dpto_y_muni_contratista", "Dpto y Muni Contratista"),
        ("tipo_doc_representante_legal", "Tipo Doc Representante Legal"),
        ("identific_representante_legal", "Identific del Represen Legal", "document"),
        ("nombre_del_represen_legal", "Nombre del Represen Legal", "name"),
        ("fecha_de_firma_del_contrato", "Fecha de Firma del Contrato", "date"),
        ("fecha_ini_ejec_contrato", "Fecha Ini Ejec Contrato", "date"),
        ("plazo_de_ejec_del_contrato", "Plazo de Ejec del Contrato", "integer"),
        ("rango_de_ejec_del_contrato", "Rango de Ejec del Contrato"),
        ("tiempo_adiciones_en_dias", "Tiempo Adiciones en Dias", "integer"),
        ("tiempo_adiciones_en_meses", "Tiempo Adiciones en Meses", "integer"),
        date("fecha_fin_ejec_contrato", "Fecha Fin Ejec Contrato", max_years_ahead=50),
        ("compromiso_presupuestal", "Compromiso Presupuestal"),
        ("cuantia_contrato", "Cuantia Contrato", "amount"),
        ("valor_total_de_adiciones", "Valor Total de Adiciones", "number"),
        ("valor_contrato_con_adiciones", "Valor Contrato con Adiciones", "number"),
        ("objeto_del_contrato_a_la", "Objeto del Contrato a la Firma"),
        ("proponentes_seleccionados", "Proponentes Seleccionados"),
        ("calificacion_definitiva", "Calificacion Definitiva"),
        ("id_sub_unidad_ejecutora", "ID Sub Unidad Ejecutora"),
        ("nombre_sub_unidad_ejecutora", "Nombre Sub Unidad Ejecutora"),
        ("moneda", "Moneda"),
        ("es_postconflicto", "EsPostConflicto"),
        ("marcacion_adiciones", "Marcacion Adiciones"),
        ("posicion_rubro", "Posicion Rubro"),
        ("nombre_rubro", "Nombre Rubro"),
        ("valor_rubro", "Valor Rubro", "number"),
        ("sexo_replegal", "Sexo RepLegal"),
        ("pilar_acuerdo_paz", "Pilar Acuerdo Paz"),
        ("punto_acuerdo_paz", "Punto Acuerdo Paz"),
        ("municipio_entidad", "Municipio Entidad"),
        ("departamento_entidad", "Departamento Entidad"),
        ("ultima_actualizacion", "Ultima Actualizacion", "date"),
        ("fecha_liquidacion", "Fecha Liquidacion", "date"),
        ("cumpledecreto248", "CumpleDecreto248"),
        ("incluyebienesdecreto248", "IncluyeBienesDecreto248"),
        ("municipios_ejecucion", "Municipios Ejecucion"),
        ("ruta_proceso_en_secop_i", "Ruta Proceso en SECOP I", "url"),
        ("cumple_sentencia_t302", "Cumple Sentencia T302"),
        ("es_mipyme", "Es Mipyme"),
        ("tama_o_mipyme", "Tamaño Mipyme"),
        ("codigo_bpin", "Codigo BPIN"),
        ("destino_gasto", "Destino Gasto"),
        ("pliegos_tipo", "Pliegos Tipo"),
        ("sector_pliegos_tipo", "Sector Pliegos Tipo"),
    ),
)

TVEC_ORDENES = Source(
    name="tvec_ordenes",
    default_id="rgxm-mmea",
    title="Tienda Virtual del Estado Colombiano - Consolidado",
    description="Purchase orders placed through the virtual store (framework agreements and aggregation), one "
    "row per order (some 163 thousand). Not the item lines of dataset 3hdv-smhz, a different dataset.",
    key=("identificador_de_la_orden",),
    survivor_order=LATEST_VERSION,
    main_date="fecha",
    max_age_days=30,
    columns=columns(
        ("a_o", "Año", "integer"),
        ("identificador_de_la_orden", "Identificador de la Orden", "key"),
        ("rama_de_la_entidad", "Rama de la Entidad"),
        ("orden_de_la_entidad", "Orden de la Entidad"),
        ("sector_de_la_entidad", "Sector de la Entidad"),
        ("entidad", "Entidad", "name"),
        ("nit_entidad", "NIT Entidad", "entity_nit"),
        ("solicitante", "Solicitante", "name"),
        ("fecha", "Fecha", "date"),
        ("fecha_vence", "Fecha Vence", "date"),
        ("proveedor", "Proveedor", "name"),
        ("nit_proveedor", "NIT Proveedor", "document"),
        ("estado", "Estado"),
        ("solicitud", "Solicitud"),
        ("items", "Items"),
        ("total", "Total", "amount"),
        ("agregacion", "Agregacion"),
        ("ciudad", "Ciudad"),
        ("entidad_obigada", "Entidad Obigada"),
        ("espostconflicto", "EsPostconflicto"),
        ("actividad_economica_proveedor", "Actividad Economica Proveedor"),
        ("id_entidad", "ID Entidad"),
    ),
)
