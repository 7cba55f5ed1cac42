/**
 * The ingest's hook for the network map: receives every observation of a run (connection annotations, endpoint
 * names, DHCP subnets), hands each ended flow its connection's annotation, and after the run's devices and edges
 * are stored writes the names and learns the zones. Kept apart so the ingest only calls `connections.observe`,
 * `collect`, `flowEnded` and `store`.
 */
import type Database from 'better-sqlite3';
import type { Observation } from '../observe/observation.js';
import { type ConnectionAnnotation, ConnectionAnnotator, transportAnnotation } from './connection-annotations.js';
import { EndpointNameCollector, storeEndpointNames } from './endpoint-names.js';
import { DhcpSubnetCollector, learnZones } from './zones.js';

/** Per-run map collection. */
export class MapObserver {
  readonly connections = new ConnectionAnnotator();
  readonly names = new EndpointNameCollector();
  readonly subnets = new DhcpSubnetCollector();

  /**
   * Feeds one observation to what is read only after the packets (names, DHCP subnets): the ingest may hand these
   * over later, in batches, unlike the connection annotations (`connections.observe`), which `flowEnded` needs at once.
   */
  collect(o: Observation): void {
    this.names.observe(o);
    this.subnets.observe(o);
  }

  /**
   * The annotation of an ended flow (its two ends, IP protocol and server port): what the analyzers saw on its
   * connection, else what its transport tells (IPsec, IKE, WireGuard); undefined when nothing is known.
   */
  flowEnded(ipA: string, portA: number, ipB: string, portB: number, proto: number, serverPort: number): ConnectionAnnotation | undefined {
    return this.connections.take(ipA, portA, ipB, portB) ?? transportAnnotation(proto, serverPort);
  }

  /** Writes the run's endpoint names and learns zones (inside the ingest's transaction, after devices and edges). */
  store(db: Database.Database): void {
    storeEndpointNames(db, this.names.names());
    learnZones(db, this.subnets.subnets.values());
  }

  /** Counts of what the bounds left out, for the run's anomalies (only the non-zero ones). */
  anomalies(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.connections.dropped > 0) out['connection_annotations_full'] = this.connections.dropped;
    if (this.names.dropped > 0) out['endpoint_names_dropped'] = this.names.dropped;
    return out;
  }
}
