/**
 * Interfaces that carry no traffic of their own (loopback, traffic shaping, containers, bridges, VMs' virtual
 * networks): their lines only repeat the real interface's, so the Network chart leaves them out unless asked.
 */
export function isVirtualInterface(iface: string): boolean {
  return /^(lo$|ifb|veth|docker|br-|virbr|vnet|cni|flannel|cali)/.test(iface);
}
