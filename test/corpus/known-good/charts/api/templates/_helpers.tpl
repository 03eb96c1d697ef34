{{- define "api.fullname" -}}{{ .Release.Name }}-api{{- end }}
{{- define "api.selectorLabels" -}}
app.kubernetes.io/name: api
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
