# Versions of the real servers tests and the demo run. Bump here only.
KAFKA_VERSION=4.1.1
OPENBAO_VERSION=2.7.2
CONSUL_VERSION=1.16.3
BASE_IMAGE=localhost/opzero-base:bookworm
