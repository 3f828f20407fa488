{{/* The roles, in the order they are rendered. */}}
{{- define "subscriptions.roles" -}}
commands responder worker unsubscribe bounces
{{- end }}

{{/* Roles that call Temporal: only they get its TLS material. */}}
{{- define "subscriptions.usesTemporal" -}}
{{- if has . (list "commands" "responder" "worker") }}true{{ end }}
{{- end }}

{{/* Roles that are Kafka consumer groups: StatefulSets with static membership. */}}
{{- define "subscriptions.isConsumerRole" -}}
{{- if has . (list "commands" "responder") }}true{{ end }}
{{- end }}

{{- define "subscriptions.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name; role objects append "-<role>", so it stays under 52 characters. */}}
{{- define "subscriptions.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "subscriptions.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "subscriptions.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels of every object; the argument is a dict of the root context ("root") and the role ("role", may be ""). */}}
{{- define "subscriptions.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "subscriptions.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: {{ include "subscriptions.name" .root }}
{{- end }}

{{- define "subscriptions.selectorLabels" -}}
app.kubernetes.io/name: {{ include "subscriptions.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .role }}
app.kubernetes.io/component: {{ .role }}
{{- end }}
{{- end }}

{{/* The environment variable that sets a setting: temporal.task-queue -> TEMPORAL_TASK_QUEUE (the service's rule). */}}
{{- define "subscriptions.envName" -}}
{{- . | replace "." "_" | replace "-" "_" | upper }}
{{- end }}

{{/* A chart-wide setting the templates rely on; fails naming the key when it is missing. */}}
{{- define "subscriptions.setting" -}}
{{- $value := index .root.Values.settings .key }}
{{- if or (kindIs "invalid" $value) (eq (toString $value) "") }}
{{- fail (printf "settings.%s must be set: the chart uses it" .key) }}
{{- end }}
{{- $value }}
{{- end }}

{{- define "subscriptions.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* terminationGracePeriodSeconds of a role: longer than the drain, whatever the drain is set to. */}}
{{- define "subscriptions.terminationGrace" -}}
{{- $values := index .root.Values .role }}
{{- add .root.Values.shutdownTimeoutSeconds (default 0 $values.preStopSleepSeconds) .root.Values.terminationGraceMarginSeconds }}
{{- end }}

{{/* The container's environment: the role, the settings, the settings from Secrets, static membership, mTLS files. */}}
{{- define "subscriptions.env" -}}
{{- $root := .root }}
{{- $role := .role }}
{{- $values := index $root.Values $role }}
{{- $settings := merge (deepCopy (default dict $values.settings)) $root.Values.settings }}
- name: ROLES
  value: {{ $role | quote }}
- name: SHUTDOWN_TIMEOUT
  value: {{ printf "PT%dS" (int $root.Values.shutdownTimeoutSeconds) | quote }}
{{- range $key := keys $settings | sortAlpha }}
- name: {{ include "subscriptions.envName" $key }}
  value: {{ index $settings $key | toString | quote }}
{{- end }}
{{- range $key := keys $root.Values.secretSettings | sortAlpha }}
{{- $ref := index $root.Values.secretSettings $key }}
{{- if or (not $ref.roles) (has $role $ref.roles) }}
- name: {{ include "subscriptions.envName" $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secretName | quote }}
      key: {{ $ref.key | quote }}
{{- end }}
{{- end }}
{{- if and (include "subscriptions.isConsumerRole" $role) $values.staticMembership }}
# Static membership: the pod's stable name, so a restarted pod takes its partitions back without a rebalance.
- name: KAFKA_GROUP_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}
{{- if and $root.Values.temporalTls.secretName (include "subscriptions.usesTemporal" $role) }}
- name: TEMPORAL_TLS_ENABLED
  value: "true"
- name: TEMPORAL_TLS_CERT_FILE
  value: /etc/subscriptions/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY_FILE
  value: /etc/subscriptions/temporal-tls/tls.key
{{- if $root.Values.temporalTls.caFile }}
- name: TEMPORAL_TLS_CA_FILE
  value: /etc/subscriptions/temporal-tls/ca.crt
{{- end }}
{{- end }}
{{- with $root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with $values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The pod template of a role. */}}
{{- define "subscriptions.podTemplate" -}}
{{- $root := .root }}
{{- $role := .role }}
{{- $values := index $root.Values $role }}
metadata:
  labels:
    {{- include "subscriptions.labels" . | nindent 4 }}
    {{- with $values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ include "subscriptions.serviceAccountName" $root }}
  # The service never calls the Kubernetes API.
  automountServiceAccountToken: false
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ include "subscriptions.terminationGrace" . }}
  containers:
    - name: {{ $role }}
      image: {{ include "subscriptions.image" $root | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      env:
        {{- include "subscriptions.env" . | trim | nindent 8 }}
      ports:
        - name: ops
          containerPort: {{ include "subscriptions.setting" (dict "root" $root "key" "server.port") | int }}
          protocol: TCP
        {{- if eq $role "unsubscribe" }}
        - name: public
          containerPort: {{ include "subscriptions.setting" (dict "root" $root "key" "unsubscribe.port") | int }}
          protocol: TCP
        {{- end }}
      startupProbe:
        httpGet:
          path: /health/live
          port: ops
        {{- toYaml $root.Values.probes.startup | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /health/live
          port: ops
        {{- toYaml $root.Values.probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /health/ready
          port: ops
        {{- toYaml $root.Values.probes.readiness | nindent 8 }}
      {{- if $values.preStopSleepSeconds }}
      lifecycle:
        preStop:
          exec:
            command: ["sleep", {{ $values.preStopSleepSeconds | toString | quote }}]
      {{- end }}
      resources:
        {{- toYaml $values.resources | nindent 8 }}
      volumeMounts:
        # The JVM's and the Kafka client's temporary files: the root file system is read-only.
        - name: tmp
          mountPath: /tmp
        {{- if and $root.Values.temporalTls.secretName (include "subscriptions.usesTemporal" $role) }}
        - name: temporal-tls
          mountPath: /etc/subscriptions/temporal-tls
          readOnly: true
        {{- end }}
        {{- with $root.Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- if and $root.Values.temporalTls.secretName (include "subscriptions.usesTemporal" $role) }}
    - name: temporal-tls
      secret:
        secretName: {{ $root.Values.temporalTls.secretName | quote }}
    {{- end }}
    {{- with $root.Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/* Whether KEDA scales a role. */}}
{{- define "subscriptions.autoscaled" -}}
{{- $values := index .root.Values .role }}
{{- if and .root.Values.autoscaling.enabled $values.enabled $values.autoscaling $values.autoscaling.enabled }}true{{ end }}
{{- end }}

{{/* The kafka trigger's TLS mode: as set, else what the service's kafka.security.protocol implies. */}}
{{- define "subscriptions.kedaKafkaTls" -}}
{{- $protocol := index .Values.settings "kafka.security.protocol" | default "" | toString | upper }}
{{- if .Values.autoscaling.kafka.tls }}
{{- .Values.autoscaling.kafka.tls }}
{{- else if has $protocol (list "SSL" "SASL_SSL") }}enable
{{- end }}
{{- end }}

{{/* The kafka trigger's SASL mode: as set, else KEDA's name for the service's kafka.sasl.mechanism. */}}
{{- define "subscriptions.kedaKafkaSasl" -}}
{{- $protocol := index .Values.settings "kafka.security.protocol" | default "" | toString | upper }}
{{- $mechanism := index .Values.settings "kafka.sasl.mechanism" | default "PLAIN" | toString | upper }}
{{- $modes := dict "PLAIN" "plaintext" "SCRAM-SHA-256" "scram_sha256" "SCRAM-SHA-512" "scram_sha512" "GSSAPI" "gssapi" "OAUTHBEARER" "oauthbearer" }}
{{- if .Values.autoscaling.kafka.sasl }}
{{- .Values.autoscaling.kafka.sasl }}
{{- else if hasPrefix "SASL_" $protocol }}
{{- index $modes $mechanism | default "" }}
{{- end }}
{{- end }}
