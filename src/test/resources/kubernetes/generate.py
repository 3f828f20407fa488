#!/usr/bin/env python3
"""Writes kubernetes-strict.json: the Kubernetes object schemas the chart test validates against.

    python3 generate.py SWAGGER_JSON CRD_CATALOG_DIR > kubernetes-strict.json

SWAGGER_JSON is Kubernetes' OpenAPI v2 document (api/openapi-spec/swagger.json of a release branch; the copy used
is named in README.md). CRD_CATALOG_DIR is a checkout of a catalog of custom resources as JSON Schemas (one file per
kind, e.g. keda.sh/scaledobject_v1alpha1.json). Only the definitions the chart's kinds reach are kept, without their
descriptions; every object that lists its properties is closed (additionalProperties false), as kubeconform's
-strict does, so a misspelt field fails instead of being dropped by the API server.
"""
import json
import sys

KINDS = {
    ("apps/v1", "Deployment"): "io.k8s.api.apps.v1.Deployment",
    ("apps/v1", "StatefulSet"): "io.k8s.api.apps.v1.StatefulSet",
    ("v1", "Service"): "io.k8s.api.core.v1.Service",
    ("v1", "ServiceAccount"): "io.k8s.api.core.v1.ServiceAccount",
    ("v1", "ConfigMap"): "io.k8s.api.core.v1.ConfigMap",
    ("policy/v1", "PodDisruptionBudget"): "io.k8s.api.policy.v1.PodDisruptionBudget",
    ("networking.k8s.io/v1", "Ingress"): "io.k8s.api.networking.v1.Ingress",
}
CRDS = {
    ("keda.sh/v1alpha1", "ScaledObject"): "keda.sh/scaledobject_v1alpha1.json",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "keda.sh/triggerauthentication_v1alpha1.json",
    ("monitoring.coreos.com/v1", "PodMonitor"): "monitoring.coreos.com/podmonitor_v1.json",
    ("monitoring.coreos.com/v1", "PrometheusRule"): "monitoring.coreos.com/prometheusrule_v1.json",
}
# Types whose JSON form is not what the OpenAPI 'type' says.
SCALARS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": ["string", "integer"]},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": ["string", "number"]},
}


def clean(node, strict):
    if isinstance(node, list):
        return [clean(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "description" or key.startswith("x-kubernetes-") or key == "format":
            continue
        if key == "$ref":
            name = value.split("/")[-1]
            if name in SCALARS:
                return dict(SCALARS[name])
            out[key] = "#/definitions/" + name
            continue
        # Property names are data, not schema keywords: keep every one, clean only their schemas.
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            out[key] = {name: clean(schema, strict) for name, schema in value.items()}
        else:
            out[key] = clean(value, strict)
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value.split("/")[-1])
            else:
                refs(value, found)
    elif isinstance(node, list):
        for item in node:
            refs(item, found)


def main(swagger_path, catalog):
    definitions = json.load(open(swagger_path))["definitions"]
    wanted, todo = set(), list(KINDS.values())
    while todo:
        name = todo.pop()
        if name in wanted or name in SCALARS:
            continue
        wanted.add(name)
        found = set()
        refs(definitions[name], found)
        todo.extend(found - wanted)
    schema = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "definitions": {name: clean(definitions[name], True) for name in sorted(wanted)},
        "kinds": {},
    }
    for (api_version, kind), name in KINDS.items():
        schema["kinds"][api_version + "/" + kind] = "#/definitions/" + name
    for (api_version, kind), path in CRDS.items():
        name = api_version.split("/")[0] + "." + kind
        crd = clean(json.load(open(catalog + "/" + path)), False)
        # The catalog closes its objects already where the CRD does.
        schema["definitions"][name] = crd
        schema["kinds"][api_version + "/" + kind] = "#/definitions/" + name
    json.dump(schema, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
