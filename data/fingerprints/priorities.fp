# medtap fingerprint knowledge — source priorities
@purpose Rank of fact sources, used only to break ties between equally confident candidate values of an attribute (higher wins; sources not named rank 50).
@licence Apache-2.0 (written for medtap)
#
# Reasoning: an imported asset record is kept by people who know the device; management protocols (SNMP, LLDP,
# CDP) are the device describing itself on request, in fields meant for inventory; self-announcements in
# discovery and address protocols come next; behavioural fingerprints (TCP stack, TLS) are inferences; the IEEE
# OUI names the maker of the network interface, which often is not the device maker.

@priority import 100
@priority snmp 80
@priority lldp 80
@priority cdp 80
@priority dhcp 60
@priority mdns 60
@priority ssdp 60
@priority sdc 75
@priority netbios_browser 60
@priority http 60
@priority smb 60
@priority ssh 60
@priority nbns 55
@priority llmnr 55
@priority tls 40
@priority tcp 40
@priority oui 20
