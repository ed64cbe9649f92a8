{{/* Strongroom chart helpers. The five services share one set of templates, parameterised by the
     table below; each <service>-<kind>.yaml file includes them for its service. */}}

{{- define "strongroom.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "strongroom.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The services: key in .Values.services -> name, port, database suffix, public (behind the Ingress). */}}
{{- define "strongroom.serviceTable" -}}
auth: {name: auth-service, port: 8081, db: auth, public: true}
secrets: {name: secrets-service, port: 8082, db: secrets, public: true}
sharing: {name: sharing-service, port: 8083, db: sharing, public: true}
audit: {name: audit-service, port: 8084, db: audit, public: false}
keys: {name: key-service, port: 8085, db: keys, public: false}
{{- end -}}

{{- define "strongroom.service" -}}
{{- $table := include "strongroom.serviceTable" . | fromYaml -}}
{{- get $table .key | toYaml -}}
{{- end -}}

{{/* Host name of a service inside the cluster: (dict "root" $ "key" "auth") */}}
{{- define "strongroom.host" -}}
{{- $svc := include "strongroom.service" (dict "key" .key) | fromYaml -}}
{{- printf "%s-%s" (include "strongroom.fullname" .root) $svc.name -}}
{{- end -}}

{{- define "strongroom.url" -}}
{{- $svc := include "strongroom.service" (dict "key" .key) | fromYaml -}}
{{- printf "%s://%s:%v" (ternary "https" "http" .root.Values.tls.enabled) (include "strongroom.host" .) $svc.port -}}
{{- end -}}

{{- define "strongroom.chartLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: strongroom
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels: (dict "root" $ "component" "auth-service") */}}
{{- define "strongroom.selectorLabels" -}}
app.kubernetes.io/name: {{ include "strongroom.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "strongroom.labels" -}}
{{ include "strongroom.chartLabels" .root }}
{{ include "strongroom.selectorLabels" . }}
{{- end -}}

{{- define "strongroom.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.repository .name (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* Pod and container security contexts: non-root uid 10001 (the images' user), nothing writable but /tmp. */}}
{{- define "strongroom.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "strongroom.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "strongroom.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
{{- end -}}

{{/* The service's configuration file (mounted at /etc/strongroom/config): no credential, only ${VARIABLE}
     references to environment variables that come from Secrets. */}}
{{- define "strongroom.configFile" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $svc := include "strongroom.service" (dict "key" .key) | fromYaml -}}
# {{ $svc.name }}: rendered by the Strongroom chart; every key is documented in docs/.
strongroom.db.host={{ $v.database.host }}
strongroom.db.port={{ $v.database.port }}
strongroom.db.name={{ $v.database.namePrefix }}{{ $svc.db }}
strongroom.db.tls-mode={{ $v.database.tlsMode }}
{{- if and (hasPrefix "verify" $v.database.tlsMode) $v.database.caSecret }}
strongroom.db.tls-ca=/etc/strongroom/database-ca/{{ $v.database.caKey }}
{{- end }}
strongroom.kafka.bootstrap={{ $v.kafka.bootstrapServers }}
kafka.security.protocol={{ $v.kafka.securityProtocol }}
{{- if and (hasSuffix "SSL" $v.kafka.securityProtocol) $v.kafka.tls.caSecret }}
kafka.ssl.truststore.type=PEM
kafka.ssl.truststore.location=/etc/strongroom/kafka-ca/{{ $v.kafka.tls.caKey }}
{{- end }}
{{- if hasPrefix "SASL" $v.kafka.securityProtocol }}
kafka.sasl.mechanism={{ $v.kafka.sasl.mechanism }}
{{- if eq $v.kafka.sasl.mechanism "PLAIN" }}
kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${SR_KAFKA_USERNAME}" password="${SR_KAFKA_PASSWORD}";
{{- else }}
kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${SR_KAFKA_USERNAME}" password="${SR_KAFKA_PASSWORD}";
{{- end }}
{{- end }}
{{- if $v.tls.enabled }}
# HTTPS only, with the certificate of tls.existingSecret; calls to the other services trust its ca.crt
quarkus.tls.strongroom.key-store.pem.0.cert=/etc/strongroom/tls/tls.crt
quarkus.tls.strongroom.key-store.pem.0.key=/etc/strongroom/tls/tls.key
quarkus.tls.strongroom.trust-store.pem.certs=/etc/strongroom/tls/ca.crt
quarkus.http.tls-configuration-name=strongroom
quarkus.http.ssl-port={{ $svc.port }}
quarkus.http.insecure-requests=disabled
strongroom.tls.trust-configuration=strongroom
{{- else }}
# tls.enabled=false: plain HTTP between the services, inside the NetworkPolicies (docs/kubernetes.md, "TLS")
strongroom.tls.allow-plain-http=true
{{- end }}
# graceful shutdown: readiness DOWN for the delay while still serving, then in-flight requests get the timeout
quarkus.shutdown.delay={{ $v.common.shutdown.delaySeconds }}s
quarkus.shutdown.timeout={{ $v.common.shutdown.timeoutSeconds }}s
quarkus.swagger-ui.enabled={{ $v.apiDocs.swaggerUi }}
quarkus.smallrye-openapi.enabled={{ $v.apiDocs.openapi }}
strongroom.auth.jwks-url={{ include "strongroom.url" (dict "root" $root "key" "auth") }}/v1/auth/jwks
strongroom.services.auth-url={{ include "strongroom.url" (dict "root" $root "key" "auth") }}
strongroom.services.secrets-url={{ include "strongroom.url" (dict "root" $root "key" "secrets") }}
strongroom.services.keys-url={{ include "strongroom.url" (dict "root" $root "key" "keys") }}
strongroom.audit.signing.key=${SR_AUDIT_SIGNING_KEY}
{{- if eq .key "auth" }}
strongroom.auth.signing.key-files=/etc/strongroom/signing/{{ $v.auth.signingKeysKey }}
strongroom.auth.access-token-ttl={{ $v.auth.accessTokenTtl }}
strongroom.auth.service-clients."secrets-service".secret=${SR_SECRETS_SERVICE_CLIENT_SECRET}
strongroom.auth.service-clients."secrets-service".roles=kms
strongroom.auth.service-clients."sharing-service".secret=${SR_SHARING_SERVICE_CLIENT_SECRET}
strongroom.auth.service-clients."sharing-service".roles=sharing
{{- if $v.auth.kubernetesLogin.enabled }}
strongroom.auth.kubernetes.issuer={{ $v.auth.kubernetesLogin.issuer }}
strongroom.auth.kubernetes.jwks-url={{ $v.auth.kubernetesLogin.jwksUrl }}
{{- end }}
{{- else if eq .key "secrets" }}
strongroom.secrets.kms.client-id=secrets-service
strongroom.secrets.kms.client-secret=${SR_SECRETS_SERVICE_CLIENT_SECRET}
{{- else if eq .key "sharing" }}
strongroom.sharing.identity.client-id=sharing-service
strongroom.sharing.identity.client-secret=${SR_SHARING_SERVICE_CLIENT_SECRET}
{{- if $v.ingress.enabled }}
strongroom.sharing.public-url={{ ternary "https" "http" (not (empty $v.ingress.tlsSecret)) }}://{{ $v.ingress.host }}
{{- end }}
{{- else if eq .key "audit" }}
{{- range $producer := list "auth-service" "secrets-service" "sharing-service" "audit-service" "key-service" }}
strongroom.audit.producers.{{ $producer }}.key=${SR_AUDIT_PRODUCER_{{ $producer | replace "-" "_" | upper }}}
{{- end }}
strongroom.audit.anchor.key=${SR_AUDIT_ANCHOR_KEY}
{{- if $v.audit.hec.url }}
strongroom.audit.hec.url={{ $v.audit.hec.url }}
{{- if $v.audit.hec.index }}
strongroom.audit.hec.index={{ $v.audit.hec.index }}
{{- end }}
{{- end }}
{{- else if eq .key "keys" }}
{{- if $v.keys.rootKey.kmsUri }}
strongroom.keys.root={{ $v.keys.rootKey.kmsUri }}
{{- else }}
strongroom.keys.root=/etc/strongroom/root-key/{{ $v.keys.rootKey.key }}
{{- end }}
strongroom.keys.create-on-start={{ $v.keys.createOnStart }}
{{- end }}
{{- end -}}

{{/* Everything a service's Deployment, Service, ServiceAccount, PDB and HPA need: (dict "root" $ "key" "auth") */}}
{{- define "strongroom.deployment" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $svc := include "strongroom.service" (dict "key" .key) | fromYaml -}}
{{- $cfg := get $v.services .key -}}
{{- $name := printf "%s-%s" (include "strongroom.fullname" $root) $svc.name -}}
{{- $sel := dict "root" $root "component" $svc.name -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "strongroom.labels" $sel | nindent 4 }}
spec:
  {{- if not $cfg.autoscaling.enabled }}
  replicas: {{ $cfg.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  # New pods migrate the schema (Flyway holds a database lock, so replicas migrate one at a time)
  # and become ready before an old one stops.
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "strongroom.selectorLabels" $sel | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "strongroom.labels" $sel | nindent 8 }}
        {{- with $v.common.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "strongroom.configFile" . | sha256sum }}
        {{- with $v.common.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      # No service needs the Kubernetes API.
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $v.common.terminationGracePeriodSeconds }}
      {{- with $v.common.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- include "strongroom.podSecurityContext" . | nindent 8 }}
      {{- with $v.image.pullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        - name: {{ $svc.name }}
          image: {{ include "strongroom.image" (dict "root" $root "name" $svc.name) | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          securityContext:
            {{- include "strongroom.containerSecurityContext" . | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          env:
            - name: QUARKUS_CONFIG_LOCATIONS
              value: file:/etc/strongroom/config/{{ $svc.name }}.properties
            {{- with $v.common.javaToolOptions }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ . | quote }}
            {{- end }}
            {{- include "strongroom.secretEnv" (dict "env" "STRONGROOM_DB_USER" "secret" $v.database.existingSecret "key" $v.database.usernameKey) | nindent 12 }}
            {{- include "strongroom.secretEnv" (dict "env" "STRONGROOM_DB_PASSWORD" "secret" $v.database.existingSecret "key" $v.database.passwordKey) | nindent 12 }}
            {{- if hasPrefix "SASL" $v.kafka.securityProtocol }}
            {{- include "strongroom.secretEnv" (dict "env" "SR_KAFKA_USERNAME" "secret" $v.kafka.sasl.existingSecret "key" $v.kafka.sasl.usernameKey) | nindent 12 }}
            {{- include "strongroom.secretEnv" (dict "env" "SR_KAFKA_PASSWORD" "secret" $v.kafka.sasl.existingSecret "key" $v.kafka.sasl.passwordKey) | nindent 12 }}
            {{- end }}
            {{- if eq .key "auth" }}
            {{- include "strongroom.secretEnv" (dict "env" "STRONGROOM_AUTH_BOOTSTRAP_ADMIN_USERNAME" "secret" $v.auth.bootstrapAdminSecret "key" $v.auth.bootstrapAdminUsernameKey) | nindent 12 }}
            {{- include "strongroom.secretEnv" (dict "env" "STRONGROOM_AUTH_BOOTSTRAP_ADMIN_PASSWORD" "secret" $v.auth.bootstrapAdminSecret "key" $v.auth.bootstrapAdminPasswordKey) | nindent 12 }}
            {{- end }}
            {{- if or (eq .key "auth") (eq .key "secrets") }}
            {{- include "strongroom.secretEnv" (dict "env" "SR_SECRETS_SERVICE_CLIENT_SECRET" "secret" $v.auth.serviceClientsSecret "key" "secrets-service") | nindent 12 }}
            {{- end }}
            {{- if or (eq .key "auth") (eq .key "sharing") }}
            {{- include "strongroom.secretEnv" (dict "env" "SR_SHARING_SERVICE_CLIENT_SECRET" "secret" $v.auth.serviceClientsSecret "key" "sharing-service") | nindent 12 }}
            {{- end }}
            {{- include "strongroom.secretEnv" (dict "env" "SR_AUDIT_SIGNING_KEY" "secret" $v.audit.keysSecret "key" $svc.name) | nindent 12 }}
            {{- if eq .key "audit" }}
            {{- range $producer := list "auth-service" "secrets-service" "sharing-service" "audit-service" "key-service" }}
            {{- include "strongroom.secretEnv" (dict "env" (printf "SR_AUDIT_PRODUCER_%s" ($producer | replace "-" "_" | upper)) "secret" $v.audit.keysSecret "key" $producer) | nindent 12 }}
            {{- end }}
            {{- include "strongroom.secretEnv" (dict "env" "SR_AUDIT_ANCHOR_KEY" "secret" $v.audit.keysSecret "key" "anchor") | nindent 12 }}
            {{- end }}
            {{- if $v.metrics.tokenSecret }}
            {{- include "strongroom.secretEnv" (dict "env" "STRONGROOM_METRICS_TOKEN" "secret" $v.metrics.tokenSecret "key" $v.metrics.tokenKey) | nindent 12 }}
            {{- end }}
            {{- if and (eq .key "audit") $v.audit.hec.url }}
            {{- include "strongroom.secretEnv" (dict "env" "STRONGROOM_AUDIT_HEC_TOKEN" "secret" $v.audit.hec.existingSecret "key" $v.audit.hec.tokenKey) | nindent 12 }}
            {{- end }}
            {{- if and (eq .key "keys") $v.keys.rootKey.kmsUri $v.keys.rootKey.credentialsSecret }}
            - name: GOOGLE_APPLICATION_CREDENTIALS
              value: /etc/strongroom/kms-credentials/{{ $v.keys.rootKey.credentialsKey }}
            {{- end }}
            {{- with $v.common.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $cfg.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          # Started: Flyway may migrate for a while on the first start after an upgrade.
          startupProbe:
            httpGet: {path: /q/health/started, port: http, scheme: {{ ternary "HTTPS" "HTTP" $v.tls.enabled }}}
            periodSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet: {path: /q/health/live, port: http, scheme: {{ ternary "HTTPS" "HTTP" $v.tls.enabled }}}
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http, scheme: {{ ternary "HTTPS" "HTTP" $v.tls.enabled }}}
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml $cfg.resources | nindent 12 }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            - {name: config, mountPath: /etc/strongroom/config, readOnly: true}
            {{- if $v.tls.enabled }}
            - {name: tls, mountPath: /etc/strongroom/tls, readOnly: true}
            {{- end }}
            {{- if and (ne $v.database.tlsMode "disable") $v.database.caSecret }}
            - {name: database-ca, mountPath: /etc/strongroom/database-ca, readOnly: true}
            {{- end }}
            {{- if and (hasSuffix "SSL" $v.kafka.securityProtocol) $v.kafka.tls.caSecret }}
            - {name: kafka-ca, mountPath: /etc/strongroom/kafka-ca, readOnly: true}
            {{- end }}
            {{- if eq .key "auth" }}
            - {name: signing-keys, mountPath: /etc/strongroom/signing, readOnly: true}
            {{- end }}
            {{- if and (eq .key "keys") (not $v.keys.rootKey.kmsUri) }}
            - {name: root-key, mountPath: /etc/strongroom/root-key, readOnly: true}
            {{- end }}
            {{- if and (eq .key "keys") $v.keys.rootKey.kmsUri $v.keys.rootKey.credentialsSecret }}
            - {name: kms-credentials, mountPath: /etc/strongroom/kms-credentials, readOnly: true}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {sizeLimit: 128Mi}
        - name: config
          configMap:
            name: {{ include "strongroom.fullname" $root }}-config
            items:
              - {key: {{ $svc.name }}.properties, path: {{ $svc.name }}.properties}
        {{- if $v.tls.enabled }}
        - name: tls
          secret: {secretName: {{ $v.tls.existingSecret }}, defaultMode: 0440}
        {{- end }}
        {{- if and (ne $v.database.tlsMode "disable") $v.database.caSecret }}
        - name: database-ca
          secret: {secretName: {{ $v.database.caSecret }}, defaultMode: 0444}
        {{- end }}
        {{- if and (hasSuffix "SSL" $v.kafka.securityProtocol) $v.kafka.tls.caSecret }}
        - name: kafka-ca
          secret: {secretName: {{ $v.kafka.tls.caSecret }}, defaultMode: 0444}
        {{- end }}
        {{- if eq .key "auth" }}
        - name: signing-keys
          secret: {secretName: {{ $v.auth.signingKeysSecret }}, defaultMode: 0440}
        {{- end }}
        {{- if and (eq .key "keys") (not $v.keys.rootKey.kmsUri) }}
        - name: root-key
          secret: {secretName: {{ $v.keys.rootKey.existingSecret }}, defaultMode: 0440}
        {{- end }}
        {{- if and (eq .key "keys") $v.keys.rootKey.kmsUri $v.keys.rootKey.credentialsSecret }}
        - name: kms-credentials
          secret: {secretName: {{ $v.keys.rootKey.credentialsSecret }}, defaultMode: 0440}
        {{- end }}
      {{- if $v.common.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: {{ $v.common.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "strongroom.selectorLabels" $sel | nindent 14 }}
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "strongroom.selectorLabels" $sel | nindent 14 }}
      {{- end }}
      {{- with $v.common.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.common.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.common.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "strongroom.labels" $sel | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "strongroom.selectorLabels" $sel | nindent 4 }}
  ports:
    - name: http
      port: {{ $svc.port }}
      targetPort: http
      protocol: TCP
      # HTTPS only with tls.enabled (an ingress controller must then speak HTTPS to the pods)
      appProtocol: {{ ternary "https" "http" $v.tls.enabled }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  labels:
    {{- include "strongroom.labels" $sel | nindent 4 }}
automountServiceAccountToken: false
{{- if $cfg.pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "strongroom.labels" $sel | nindent 4 }}
spec:
  maxUnavailable: {{ $cfg.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "strongroom.selectorLabels" $sel | nindent 6 }}
{{- end }}
{{- if $cfg.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "strongroom.labels" $sel | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $cfg.autoscaling.minReplicas }}
  maxReplicas: {{ $cfg.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $cfg.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}

{{/* The backup's seal step: key-service's image encrypts the staged dumps to the backup public key.
     (dict "root" $ "parts" (list ...)) */}}
{{- define "strongroom.backupSeal" -}}
{{- $v := .root.Values -}}
{{- $b := $v.backup -}}
- name: seal
  image: {{ include "strongroom.image" (dict "root" .root "name" "key-service") | quote }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  securityContext:
    {{- include "strongroom.containerSecurityContext" . | nindent 4 }}
  resources:
    {{- toYaml $b.resources | nindent 4 }}
  args:
    - backup-seal
    - --public-key
    - /etc/strongroom/backup/{{ $b.publicKeyKey }}
    - --out
    - /backups/
    - --describe-from
    - /staging/describe.txt
    - --info
    - strongroomVersion={{ $v.image.tag | default .root.Chart.AppVersion }}
    - --info
    - databasePrefix={{ $v.database.namePrefix }}
    {{- range .parts }}
    - --part
    - {{ . }}=/staging/{{ . }}.sql
    {{- end }}
  volumeMounts:
    - {name: staging, mountPath: /staging, readOnly: true}
    - {name: archive, mountPath: /backups}
    - {name: tmp, mountPath: /tmp}
    - {name: backup-public-key, mountPath: /etc/strongroom/backup, readOnly: true}
{{- end -}}
