# medtap fingerprint knowledge — SNMP system group, and the same text in LLDP/CDP
@purpose Derive vendor, OS and category from SNMP sysObjectID (the IANA private enterprise number under 1.3.6.1.4.1) and sysDescr, and from the identical system descriptions devices put in LLDP (system description TLV) and CDP (software version TLV).
@licence Apache-2.0 (written for medtap from the IANA registry and the cited documentation)
#
# sysObjectID facts are dotted decimal OIDs, with or without a leading dot. An enterprise number says who wrote
# the agent — for embedded products the device maker. Medical makers' numbers are listed where IANA has them;
# their sysDescr formats are not publicly documented and are not guessed here.

@ref iana-pen IANA "Private Enterprise Numbers" registry (https://www.iana.org/assignments/enterprise-numbers, as shipped in Wireshark 4.0's enterprises.tsv): the organisation holding each number under 1.3.6.1.4.1
# Background: RFC 3418 (SNMPv2-MIB): sysDescr "a textual description of the entity … full name and version identification of the system's hardware type, software operating-system, and networking software"; sysObjectID "the vendor's authoritative identification"
@ref lanmgr-mib Microsoft's SNMP service (LanMgr-Mib-II): sysObjectID 1.3.6.1.4.1.311.1.1.3.1.1 workstation, .1.3.1.2 server, .1.3.1.3 domain controller; sysDescr "Hardware: … - Software: Windows Version <NT version> (Build …)"
@ref net-snmp NET-SNMP-TC MIB netSnmpAgentOIDs (1.3.6.1.4.1.8072.3.2.N: 3 solaris, 8 freebsd, 10 linux, 13 win32, 16 macosx); snmpd.conf(5): default sysDescr is the uname fields "<sysname> <nodename> <release> <version> <machine>"
@ref hp-jetdirect HP Jetdirect print servers: sysObjectID under 1.3.6.1.4.1.11.2.3.9 (hpNetPeripheral) and sysDescr starting "HP ETHERNET MULTI-ENVIRONMENT"
@ref cisco-sysdescr Cisco IOS / IOS XE / NX-OS configuration guides ("show version" banner, also the SNMP sysDescr, LLDP system description and CDP software version): "Cisco IOS Software, <platform> Software (<image>), Version <version>, …"; IOS XE images are named *IOSXE*
@ref vendor-sysdescr Vendor documentation of sysDescr: Juniper "Juniper Networks, Inc. <model> … JUNOS <version>", MikroTik "RouterOS <board>", VMware ESXi "VMware ESXi <version> build-<n>"

# ---- enterprise numbers: network, IT and IoT makers
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.9(?:\.[\d.]*)?$/  vendor=Cisco:0.85 category=network-infrastructure:0.45  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.11(?:\.[\d.]*)?$/  vendor=HP:0.8  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.11\.2\.3\.9(?:\.[\d.]*)?$/  category=printer:0.75  ref=hp-jetdirect
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.311(?:\.[\d.]*)?$/  os=Windows:0.75  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.311\.1\.1\.3\.1\.1$/  category=workstation:0.6  ref=lanmgr-mib
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.311\.1\.1\.3\.1\.[23]$/  category=server:0.65  ref=lanmgr-mib
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.8072\.3\.2\.10$/  os=Linux:0.75 software=Net-SNMP:0.8  ref=net-snmp
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.8072\.3\.2\.8$/  os=FreeBSD:0.75 software=Net-SNMP:0.8  ref=net-snmp
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.8072\.3\.2\.16$/  os=macOS:0.7 software=Net-SNMP:0.8  ref=net-snmp
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.674(?:\.[\d.]*)?$/  vendor=Dell:0.8  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.2636(?:\.[\d.]*)?$/  vendor=Juniper:0.85 os=Junos:0.6 category=network-infrastructure:0.65  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.1991(?:\.[\d.]*)?$/  vendor=Brocade:0.8 category=network-infrastructure:0.65  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.14823(?:\.[\d.]*)?$/  vendor=Aruba:0.8 category=network-infrastructure:0.65  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.25461(?:\.[\d.]*)?$/  vendor="Palo Alto Networks":0.85 os=PAN-OS:0.6 category=network-infrastructure:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.12356(?:\.[\d.]*)?$/  vendor=Fortinet:0.85 os=FortiOS:0.6 category=network-infrastructure:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.14988(?:\.[\d.]*)?$/  vendor=MikroTik:0.85 os=RouterOS:0.7 category=network-infrastructure:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.41112(?:\.[\d.]*)?$/  vendor=Ubiquiti:0.85 category=network-infrastructure:0.6  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.6876(?:\.[\d.]*)?$/  vendor=VMware:0.8 category=server:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.318(?:\.[\d.]*)?$/  vendor=APC:0.85 category=iot-other:0.45  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.368(?:\.[\d.]*)?$/  vendor=Axis:0.85 category=ip-camera:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.39165(?:\.[\d.]*)?$/  vendor=Hikvision:0.85 category=ip-camera:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.641(?:\.[\d.]*)?$/  vendor=Lexmark:0.85 category=printer:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.253(?:\.[\d.]*)?$/  vendor=Xerox:0.85 category=printer:0.65  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.367(?:\.[\d.]*)?$/  vendor=Ricoh:0.85 category=printer:0.65  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.1602(?:\.[\d.]*)?$/  vendor=Canon:0.85 category=printer:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.2435(?:\.[\d.]*)?$/  vendor=Brother:0.85 category=printer:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.1347(?:\.[\d.]*)?$/  vendor=Kyocera:0.85 category=printer:0.7  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.18334(?:\.[\d.]*)?$/  vendor="Konica Minolta":0.85 category=printer:0.6  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.10642(?:\.[\d.]*)?$/  vendor=Zebra:0.85 category=printer:0.6  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.6574(?:\.[\d.]*)?$/  vendor=Synology:0.85 category=server:0.6  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.24681(?:\.[\d.]*)?$/  vendor=QNAP:0.85 category=server:0.6  ref=iana-pen

# ---- enterprise numbers: medical makers. IANA holders: 19816 Philips Medizin Systeme Boeblingen GmbH (Philips'
# patient-monitoring site), 1776 Koninklijke Philips Electronics NV, 38222 Philips North America LLC, 32985
# Philips Electronics (Israel) - Philips HealthCare, 12621 GE Medical System Information Technologies SW GmbH,
# 22005 GE Healthcare - IT, 45553 GE Healthcare - Engineering, 3592 Drägerwerk AG & Co. KGaA, 22447 B.Braun
# Melsungen AG, 10096 Baxter Healthcare Corporation, 23670 Nihon Kohden Corporation, 23957 Spacelabs Medical Data,
# 15076 Fresenius AG, 23883 Fresenius Medical Care North America, 37718 Fresenius Vial, 29659 Carestream Health,
# 28708 FUJIFILM Corporation, 5264 Varian Medical Systems, 17694 Elekta, 20029 Mortara Instrument, 27392 SCHILLER,
# 38937 ResMed SAS, 38966 Stryker, 12514 Abbott Laboratories, 40615 Olympus Corporation of the Americas.
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.19816(?:\.[\d.]*)?$/  vendor=Philips:0.85 category=patient-monitor:0.6  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.(?:1776|38222)(?:\.[\d.]*)?$/  vendor=Philips:0.8  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.32985(?:\.[\d.]*)?$/  vendor=Philips:0.85 category=medical-other:0.4  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.(?:12621|22005|45553)(?:\.[\d.]*)?$/  vendor="GE Healthcare":0.85 category=medical-other:0.45  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.3592(?:\.[\d.]*)?$/  vendor=Dräger:0.85 category=medical-other:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.22447(?:\.[\d.]*)?$/  vendor="B. Braun":0.85 category=infusion-pump:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.10096(?:\.[\d.]*)?$/  vendor=Baxter:0.85 category=medical-other:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.23670(?:\.[\d.]*)?$/  vendor="Nihon Kohden":0.85 category=patient-monitor:0.55  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.23957(?:\.[\d.]*)?$/  vendor=Spacelabs:0.85 category=patient-monitor:0.55  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.(?:15076|23883)(?:\.[\d.]*)?$/  vendor="Fresenius Medical Care":0.8 category=dialysis:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.37718(?:\.[\d.]*)?$/  vendor="Fresenius Kabi":0.85 category=infusion-pump:0.55  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.29659(?:\.[\d.]*)?$/  vendor=Carestream:0.85 category=imaging-xray:0.45  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.28708(?:\.[\d.]*)?$/  vendor=Fujifilm:0.8  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.5264(?:\.[\d.]*)?$/  vendor="Varian Medical Systems":0.85 category=medical-other:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.17694(?:\.[\d.]*)?$/  vendor=Elekta:0.85 category=medical-other:0.5  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.20029(?:\.[\d.]*)?$/  vendor=Mortara:0.85 category=medical-other:0.45  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.27392(?:\.[\d.]*)?$/  vendor=Schiller:0.85 category=medical-other:0.45  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.38937(?:\.[\d.]*)?$/  vendor=ResMed:0.85 category=ventilator:0.4  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.38966(?:\.[\d.]*)?$/  vendor=Stryker:0.85 category=medical-other:0.4  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.12514(?:\.[\d.]*)?$/  vendor=Abbott:0.85 category=medical-other:0.4  ref=iana-pen
snmp_sys_object_id  regex /^\.?1\.3\.6\.1\.4\.1\.40615(?:\.[\d.]*)?$/  vendor=Olympus:0.8 category=medical-other:0.35  ref=iana-pen

# ---- system descriptions (sysDescr, LLDP system description, CDP software version)
snmp_sys_descr,lldp_system_description,cdp_software_version  regex /^Cisco IOS Software(?!.*IOSXE).*, Version ([^,\s]+).*$/s  vendor=Cisco:0.9 os="Cisco IOS":0.9 os_version=$1:0.85 category=network-infrastructure:0.55  ref=cisco-sysdescr
snmp_sys_descr,lldp_system_description,cdp_software_version  regex /^Cisco IOS Software.*IOSXE.*, Version ([^,\s]+).*$/s  vendor=Cisco:0.9 os="Cisco IOS XE":0.9 os_version=$1:0.85 category=network-infrastructure:0.6  ref=cisco-sysdescr
snmp_sys_descr,lldp_system_description,cdp_software_version  regex /^Cisco NX-OS.*, Version ([^,\s]+).*$/s  vendor=Cisco:0.9 os="Cisco NX-OS":0.9 os_version=$1:0.85 category=network-infrastructure:0.7  ref=cisco-sysdescr
snmp_sys_descr  regex /^Hardware: .* Software: Windows Version (\d+\.\d+) \(Build (\d+).*$/  os=Windows:0.9 os_version=$1:0.85  ref=lanmgr-mib
snmp_sys_descr,lldp_system_description  regex /^Linux \S+ (\d[^\s]*) .*$/  os=Linux:0.8 os_version=$1:0.7  ref=net-snmp
snmp_sys_descr  regex /^FreeBSD \S+ (\d[^\s]*) .*$/  os=FreeBSD:0.8 os_version=$1:0.7  ref=net-snmp
snmp_sys_descr  regex /^HP ETHERNET MULTI-ENVIRONMENT.*$/  vendor=HP:0.85 category=printer:0.75  ref=hp-jetdirect
snmp_sys_descr,lldp_system_description  regex /^Juniper Networks, Inc\. (\S+) .*JUNOS ([\w.-]+).*$/  vendor=Juniper:0.9 model=$1:0.8 os=Junos:0.9 os_version=$2:0.85 category=network-infrastructure:0.7  ref=vendor-sysdescr
snmp_sys_descr  regex /^RouterOS (\S+)$/  vendor=MikroTik:0.9 model=$1:0.8 os=RouterOS:0.9 category=network-infrastructure:0.7  ref=vendor-sysdescr
snmp_sys_descr  regex /^VMware ESXi (\d[\w.]*) .*$/  vendor=VMware:0.85 os="VMware ESXi":0.9 os_version=$1:0.85 category=server:0.7  ref=vendor-sysdescr
