#!/usr/bin/env bash
# Builds the five Parley images from the jars of a Maven build, and optionally pushes them.
#   k8s/images/build.sh [TAG] [REGISTRY]      e.g.  k8s/images/build.sh 0.1.0 registry.example.com/parley
# Without REGISTRY the images are local (parley-auth:TAG, ...), e.g. for `kind load docker-image`.
set -euo pipefail
cd "$(dirname "$0")/../.."

tag="${1:-dev}"
registry="${2:-}"

# image name -> runnable jar (the module's <runnable.jar.name>; the k8s module's test keeps these true)
images=(
  "parley-auth=auth-service/target/parley-auth.jar"
  "parley-room=room-service/target/parley-room.jar"
  "parley-message=message-service/target/parley-message.jar"
  "parley-gateway=gateway/target/parley-gateway.jar"
  "parley-standalone=standalone/target/parley-standalone.jar"
)

for entry in "${images[@]}"; do
  jar="${entry#*=}"
  if [[ ! -f "$jar" ]]; then
    echo "missing $jar: run 'mvn -B -DskipTests package' first" >&2
    exit 1
  fi
done

for entry in "${images[@]}"; do
  name="${entry%%=*}"
  jar="${entry#*=}"
  ref="${registry:+$registry/}$name:$tag"
  echo "building $ref from $jar"
  # BuildKit when available (it reads Dockerfile.dockerignore, so only the jars are sent); the
  # Dockerfile works with the legacy builder too.
  DOCKER_BUILDKIT=1 docker build -f k8s/images/Dockerfile --build-arg "JAR=$jar" -t "$ref" .
  if [[ -n "$registry" ]]; then
    docker push "$ref"
  fi
done
