import { databaseName, envPrefix, type ServiceSpec } from './service-files';

const IMAGE_PREFIX = 'ghcr.io/eddisonso/edd-cloud-';

/** The init container that gives the service its own PostgreSQL role and database (tools/db-provision). */
function provisionInitContainer(spec: ServiceSpec): string {
  const role = `${spec.name.replace(/-/g, '_')}_svc`;
  return `      # Creates or updates this service's PostgreSQL role and database before it starts
      # (tools/db-provision). Only this container sees the administrator's password.
      initContainers:
        - name: provision-database
          image: ${IMAGE_PREFIX}${spec.name}:latest
          command: ["node", "/app/provision/main.mjs"]
          env:
            - name: SERVICE_DATABASE
              value: "${databaseName(spec.name)}"
            - name: SERVICE_ROLE
              value: "${role}"
            - name: SERVICE_DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${spec.name}-postgres-role
                  key: password
            - name: POSTGRES_ADMIN_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: edd-postgres-admin
                  key: password
            - name: POSTGRES_ADMIN_URL
              value: "postgres://postgres:$(POSTGRES_ADMIN_PASSWORD)@haproxy.core.svc.cluster.local:5432/postgres"
          resources:
            requests:
              cpu: 10m
              memory: 64Mi
            limits:
              cpu: 200m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`;
}

function serviceEnv(spec: ServiceSpec): string {
  const lines: string[] = [];
  if (spec.events || spec.auth) {
    lines.push(`            # Its own NATS user: may publish only its own subjects (manifests/nats/nats.conf).
            - name: NATS_USER
              value: "${spec.name}"
            - name: NATS_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: edd-platform-secrets
                  key: NATS_PASSWORD_${envPrefix(spec.name)}`);
  }
  lines.push(`            - name: PORT
              value: "${spec.port}"
            # Service-to-service calls (auth's internal endpoints) and /metrics.
            - name: SERVICE_API_KEY
              valueFrom:
                secretKeyRef:
                  name: edd-platform-secrets
                  key: SERVICE_API_KEY`);
  if (spec.database) {
    lines.push(`            # Its own role, which owns ${databaseName(spec.name)} and can reach no other database.
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${spec.name}-postgres-role
                  key: password
            - name: DATABASE_URL
              value: "postgres://${spec.name.replace(/-/g, '_')}_svc:$(DATABASE_PASSWORD)@haproxy.core.svc.cluster.local:5432/postgres"`);
  }
  return lines.join('\n');
}

/** Deployment + Service in the `core` namespace, hardened like every other app (the manifests test checks it). */
export function serviceManifest(spec: ServiceSpec): string {
  const labels = `    app.kubernetes.io/name: ${spec.k8sName}
    app.kubernetes.io/component: ${spec.name}`;
  return `# ${spec.description}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${spec.k8sName}
  namespace: core
  labels:
${labels}
spec:
  replicas: 1
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: ${spec.k8sName}
  template:
    metadata:
      labels:
    ${labels.replace(/\n/g, '\n    ')}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
${spec.database ? provisionInitContainer(spec) : ''}      containers:
        - name: ${spec.name}
          image: ${IMAGE_PREFIX}${spec.name}:latest
          ports:
            - name: http
              containerPort: ${spec.port}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: edd-platform-config
          env:
${serviceEnv(spec)}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            failureThreshold: 2
          startupProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 2
            failureThreshold: 60
          resources:
            requests:
              cpu: 50m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 384Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: ${spec.k8sName}
  namespace: core
  labels:
${labels}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${spec.k8sName}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
`;
}
