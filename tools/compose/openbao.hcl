# OpenBao for docker-compose.yml: a real (non-dev) server that starts sealed and uninitialised;
# the unseal-keeper initialises and unseals it. Integrated (raft) storage on the compose volume
# (OpenBao has no file backend).
storage "raft" {
  path    = "/openbao/data"
  node_id = "vault"
}
listener "tcp" {
  address         = "0.0.0.0:8200"
  cluster_address = "0.0.0.0:8201"
  tls_disable     = true
}
api_addr     = "http://vault:8200"
cluster_addr = "http://vault:8201"
ui           = false
