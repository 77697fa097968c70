# Versions of the real servers tests and the demo run. Bump here only.
KAFKA_VERSION=4.1.1
OPENBAO_VERSION=2.7.2
CONSUL_VERSION=1.16.3
# Built by kubernetes/build.sh (its own copies of these two must match).
KUBERNETES_VERSION=v1.36.3
ETCD_VERSION=3.6.8
# Local image names; another prefix gives a separate set (used to rehearse a fresh machine).
IMAGE_PREFIX=${OPZERO_IMAGE_PREFIX:-localhost/opzero}
BASE_IMAGE=$IMAGE_PREFIX-base:bookworm
# nsmithuk/local-kms has no tags on the module proxy: a pinned pseudo-version.
LOCAL_KMS_VERSION=v0.0.0-20260228092603-2a5e92d09ab6
