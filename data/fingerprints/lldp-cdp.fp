# medtap fingerprint knowledge — LLDP / CDP platform names
@purpose Derive vendor, model and category from the platform a Cisco Discovery Protocol neighbour announces (system descriptions shared with SNMP sysDescr are in snmp.fp).
@licence Apache-2.0 (written for medtap from the cited documentation)

@ref cisco-cdp Cisco CDP documentation ("show cdp neighbors detail"): the Platform TLV holds "cisco <model>" for switches and routers (e.g. cisco WS-C3850-48P), "Cisco IP Phone <model>" for IP phones, "cisco AIR-…" for access points

cdp_platform  regex /^Cisco IP Phone (\S+)$/i  vendor=Cisco:0.9 model="IP Phone $1":0.85 category=voip-phone:0.85  ref=cisco-cdp
cdp_platform  regex /^cisco (AIR-\S+)$/i  vendor=Cisco:0.9 model=$1:0.85 category=network-infrastructure:0.8  ref=cisco-cdp
cdp_platform  regex /^cisco ((?:WS-C|C9|C8|ISR|N\dK|IE-)\S*)$/i  vendor=Cisco:0.9 model=$1:0.85 category=network-infrastructure:0.8  ref=cisco-cdp
