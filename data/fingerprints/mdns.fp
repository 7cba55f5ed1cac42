# medtap fingerprint knowledge — multicast DNS / DNS-SD self-descriptions
@purpose Derive vendor, model, OS and category from what a host announces about itself in mDNS: DNS-SD TXT keys (Apple device-info model= and osxvers=, printer ty=/product=/usb_MFG=/usb_MDL=), the service types it offers and HINFO.
@licence Apache-2.0 (written for medtap from the cited specifications and corpus observations)

@ref apple-device-info Apple's _device-info._tcp DNS-SD record carries the hardware model identifier in TXT key model= (e.g. iMac11,3, MacBookPro18,1, iPhone14,2); Apple Support "Identify your Mac/iPhone model" lists the identifiers; observed iot/ndpi__iphone.pcap frame 3 (model=iMac11,3)
@ref darwin-versions Apple macOS releases and their Darwin (XNU) major version, announced as TXT osxvers=: Darwin 10-19 = macOS 10.6-10.15, Darwin 20-24 = macOS 11-15 (Apple open source release listings); observed iot/ndpi__iphone.pcap frame 3 (osxvers=17 on an iMac)
@ref bonjour-printing Apple Bonjour Printing Specification 1.2 and PWG 5100.14 (IPP Everywhere): printers advertise _ipp._tcp, _ipps._tcp, _printer._tcp (LPD) and _pdl-datastream._tcp (raw port 9100) with TXT keys ty= (make and model), product=(model), usb_MFG=, usb_MDL=
@ref dnssd-types IANA Service Name and Transport Protocol Port Number Registry and the vendors' DNS-SD documentation: _googlecast._tcp (Google Cast receivers), _hap._tcp (HomeKit Accessory Protocol, smart-home accessories), _axis-video._tcp (Axis network cameras), _companion-link._tcp and _sleep-proxy._udp (Apple devices), _workstation._tcp (Avahi's per-host record on Linux desktops)
@ref rfc1035-hinfo RFC 1035 §3.3.2 HINFO (CPU and OS strings); Avahi (avahi-daemon.conf publish-hinfo) publishes the kernel name in upper case, e.g. "X86_64 / LINUX"

# ---- Apple model identifiers (TXT model=)
mdns_txt  regex /^model=((?:MacBookPro|MacBookAir|MacBook|iMacPro|iMac|Macmini|MacPro|Mac)\d+,\d+)$/  vendor=Apple:0.9 model=$1:0.85 os=macOS:0.75 category=workstation:0.5  ref=apple-device-info
mdns_txt  regex /^model=((?:iPhone|iPod)\d+,\d+)$/  vendor=Apple:0.9 model=$1:0.85 os=iOS:0.8 category=mobile:0.7  ref=apple-device-info
mdns_txt  regex /^model=(iPad\d+,\d+)$/  vendor=Apple:0.9 model=$1:0.85 os=iOS:0.75 category=mobile:0.7  ref=apple-device-info
mdns_txt  regex /^model=((?:AppleTV|AudioAccessory)\d+,\d+)$/  vendor=Apple:0.9 model=$1:0.85 category=iot-other:0.6  ref=apple-device-info

# ---- Darwin major version (TXT osxvers=) -> macOS version
mdns_txt  exact "osxvers=10"  os=macOS:0.85 os_version=10.6:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=11"  os=macOS:0.85 os_version=10.7:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=12"  os=macOS:0.85 os_version=10.8:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=13"  os=macOS:0.85 os_version=10.9:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=14"  os=macOS:0.85 os_version=10.10:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=15"  os=macOS:0.85 os_version=10.11:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=16"  os=macOS:0.85 os_version=10.12:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=17"  os=macOS:0.85 os_version=10.13:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=18"  os=macOS:0.85 os_version=10.14:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=19"  os=macOS:0.85 os_version=10.15:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=20"  os=macOS:0.85 os_version=11:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=21"  os=macOS:0.85 os_version=12:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=22"  os=macOS:0.85 os_version=13:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=23"  os=macOS:0.85 os_version=14:0.8  ref=darwin-versions
mdns_txt  exact "osxvers=24"  os=macOS:0.85 os_version=15:0.8  ref=darwin-versions

# ---- printers (Bonjour printing TXT keys)
mdns_txt  regex /^ty=(.{2,80})$/  model=$1:0.7 category=printer:0.7  ref=bonjour-printing
mdns_txt  regex /^product=\((.{2,80})\)$/  model=$1:0.65 category=printer:0.65  ref=bonjour-printing
mdns_txt  regex /^usb_MDL=(.{2,80})$/  model=$1:0.6 category=printer:0.6  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=(?:HP|Hewlett-Packard)\b.*$/i  vendor=HP:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=Brother\b.*$/i  vendor=Brother:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=(?:EPSON|Epson)\b.*$/  vendor=Epson:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=Canon\b.*$/i  vendor=Canon:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=(?:Xerox|FUJIFILM|FUJI XEROX)\b.*$/i  vendor=Xerox:0.7  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=Lexmark\b.*$/i  vendor=Lexmark:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=(?:KONICA MINOLTA|Konica Minolta)\b.*$/  vendor="Konica Minolta":0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=(?:Kyocera|KYOCERA)\b.*$/  vendor=Kyocera:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=(?:Ricoh|RICOH)\b.*$/  vendor=Ricoh:0.75  ref=bonjour-printing
mdns_txt  regex /^(?:usb_MFG|ty)=Zebra\b.*$/i  vendor=Zebra:0.75  ref=bonjour-printing

# ---- service types offered
mdns_service  regex /^_(?:ipp|ipps|printer|pdl-datastream)\._tcp$/  category=printer:0.45  ref=bonjour-printing
mdns_service  exact "_googlecast._tcp"  vendor=Google:0.4 category=iot-other:0.5  ref=dnssd-types
mdns_service  exact "_hap._tcp"  category=iot-other:0.55  ref=dnssd-types
mdns_service  exact "_axis-video._tcp"  vendor=Axis:0.8 category=ip-camera:0.75  ref=dnssd-types
mdns_service  regex /^_(?:companion-link\._tcp|sleep-proxy\._udp)$/  vendor=Apple:0.6  ref=dnssd-types
mdns_service  exact "_workstation._tcp"  os=Linux:0.45  ref=dnssd-types

# ---- HINFO ("cpu / os")
mdns_hinfo  regex /^\S+ \/ LINUX$/i  os=Linux:0.7  ref=rfc1035-hinfo
