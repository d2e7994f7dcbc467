// The scenario the app opens on: three workers and a small web app.
export const DEFAULT_SCENARIO_YAML = `# kubeviz default scenario: a 3-node cluster with a small Deployment.
apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata:
  name: default
spec:
  seed: 42
  controlPlane:
    etcdMembers: 3
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
  labels:
    topology.kubernetes.io/zone: zone-a
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
  labels:
    topology.kubernetes.io/zone: zone-b
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
---
apiVersion: v1
kind: Node
metadata:
  name: node-3
  labels:
    topology.kubernetes.io/zone: zone-c
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 250m, memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: default
spec:
  containers:
  - name: shell
    image: busybox:1.36
    command: ["sleep", "3600"]
`;
