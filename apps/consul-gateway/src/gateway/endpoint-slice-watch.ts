import { EndpointSliceSource } from '@opzero/gateway';
import { loadClientNode, loadDefaultKubeConfig, watchEndpointSlices } from '@opzero/kube';

/**
 * The EndpointSlice source for `namespace/name`: libs/kube's watch with the pod's service
 * account in a cluster, or $KUBECONFIG outside, reporting each ready endpoint with its slice's
 * port named `portName`. A watch that cannot start is retried by Discovery on its next round.
 */
export function endpointSliceSource(service: string, portName: string, dnsPort: number, onReconnect: (error: unknown) => void): EndpointSliceSource {
  const [namespace, name] = service.split('/') as [string, string];
  return new EndpointSliceSource(async (onChange) => {
    const k8s = await loadClientNode();
    const config = new k8s.KubeConfig();
    loadDefaultKubeConfig(config);
    return watchEndpointSlices(config, namespace, name, { onChange, onReconnect, port: portName });
  }, dnsPort);
}
