# medtap fingerprint knowledge — behaviour seen in the traffic itself
@purpose Map what the ingest observed a device doing at the network layer (fact traffic:role) to a device category.
@licence Apache-2.0 (written for medtap)
#
# `role` = `router`: the MAC sourced packets for many IPv4/IPv6 addresses it does not claim in ARP/ND (DESIGN §2:
# routers appear as one MAC with many IPs). What forwards for others is a router, a firewall or a layer-3 switch;
# confidence 0.6 because a host bridging virtual machines or doing NAT for a lab network looks the same.

@ref design-routers medtap DESIGN §2 and src/ingest (router detection): one MAC sourcing traffic for many IP addresses forwards for the hosts behind it (RFC 1812 §2.2.1: a router forwards datagrams not addressed to itself)

traffic:role  exact "router"  category=network-infrastructure:0.6  ref=design-routers
