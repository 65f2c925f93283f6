#!/bin/sh
# Waits until the Temporal frontend answers, then registers TEMPORAL_NAMESPACE if it does not
# exist yet. The temporal CLI reads TEMPORAL_ADDRESS itself.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
# How long the server keeps closed workflows' history (Go duration: no `d` unit).
retention="${TEMPORAL_NAMESPACE_RETENTION:-720h}"

attempt=1
until temporal operator cluster health > /dev/null 2>&1; do
  if [ "$attempt" -ge 30 ]; then
    echo "temporal-namespace: server at $TEMPORAL_ADDRESS not healthy after $attempt tries" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if temporal operator namespace describe --namespace "$namespace" > /dev/null 2>&1; then
  echo "temporal-namespace: $namespace already exists"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention"
  echo "temporal-namespace: created $namespace"
fi

# A new namespace takes a few seconds to reach the frontend's cache; the apps start after
# this job exits, so wait until a call through the frontend sees it.
attempt=1
until temporal workflow list --namespace "$namespace" --limit 1 > /dev/null 2>&1; do
  if [ "$attempt" -ge 30 ]; then
    echo "temporal-namespace: $namespace not usable after $attempt tries" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 1
done
echo "temporal-namespace: $namespace ready"
