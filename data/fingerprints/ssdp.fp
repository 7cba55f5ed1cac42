# medtap fingerprint knowledge — SSDP / UPnP self-descriptions
@purpose Derive OS, software and category from SSDP: the SERVER header of announcements ("OS/version UPnP/x product/version"), the USER-AGENT of searches, and the UPnP device types a host announces.
@licence Apache-2.0 (written for medtap from the cited specifications and corpus observations)

@ref upnp-da UPnP Device Architecture 1.0 §1.1.2/§1.2.2 and 2.0 §1.2: SERVER (and USER-AGENT) = "OS name/OS version UPnP/1.0 product name/product version"
@ref obs-windows-upnp Windows' UPnP Device Host announces SERVER "Microsoft-Windows/<NT version> UPnP/1.0 UPnP-Device-Host/1.0" (XP: "Microsoft-Windows-NT/5.1 …"); observed lan_mixed/ndpi__1kxun.pcap (Microsoft-Windows/10.0 …, with device type MediaServer)
@ref miniupnpd MiniUPnP project (miniupnp.tuxfamily.org): MiniUPnPd is the UPnP IGD / NAT-PMP daemon of home and small-office routers; its SERVER header ends "MiniUPnPd/<version>"; observed lan_mixed/ndpi__1kxun.pcap (EPICENTRO UPnP/1.0 MiniUPnPd/1.6)
@ref tomato Tomato is a Linux router firmware; its UPnP service announces "UPnP/Tomato <version> …"; observed lan_mixed/ndpi__1kxun.pcap
@ref chromium-dial Chromium's DIAL discovery (Cast device search) sends M-SEARCH with USER-AGENT "<browser>/<version> <OS name>"; observed ssdp_upnp/ndpi__ssdp-m-search-ua.pcap and lan_mixed captures (Google Chrome/… Windows, Microsoft Edge/… Windows, Google Chrome/… Mac OS X)
@ref upnp-description UPnP Device Architecture 1.1 §2.3: the device description's manufacturer and modelName are the maker and model names the device gives itself ("for display to the end user"); observed http/ja4__http1.pcapng (Ubiquiti Networks UDM-SE, InternetGatewayDevice:2)
@ref upnp-devices UPnP Forum device control protocols: InternetGatewayDevice with WANDevice/WANConnectionDevice (gateways), Printer:1 (printers), DigitalSecurityCamera:1 (cameras), MediaRenderer (TVs, speakers); Wi-Fi Alliance WSC: WFADevice (Wi-Fi Protected Setup on access points/routers); DIAL (dial-multiscreen-org) receivers are TVs and streaming sticks; Sonos players announce ZonePlayer

# ---- SERVER header
ssdp_server  regex /^Microsoft-Windows(?:-NT)?\/(\d+\.\d+) UPnP\/1\.[01] .*$/  os=Windows:0.8 os_version=$1:0.75  ref=obs-windows-upnp
ssdp_server  regex /^Linux\/(\S+),? UPnP\/[12]\.[01],? ([^\s\/]+)\/(\S+)$/  os=Linux:0.75 os_version=$1:0.55 software=$2/$3:0.7  ref=upnp-da
ssdp_server  regex /^(?:.* )?MiniUPnPd\/(\d[\w.]*)$/  software=MiniUPnPd/$1:0.85 category=network-infrastructure:0.45  ref=miniupnpd
ssdp_server  regex /^UPnP\/Tomato (\S+) .*$/  os=Linux:0.6 software="Tomato firmware/$1":0.8 category=network-infrastructure:0.65  ref=tomato
ssdp_server  regex /^[A-Za-z][\w .-]{0,40}\/\S+,? UPnP\/[12]\.[01],? ([^\s\/]{2,40})\/(\S+)$/  software=$1/$2:0.6  ref=upnp-da

# ---- USER-AGENT of M-SEARCH
ssdp_user_agent  regex /^(Google Chrome|Microsoft Edge|Chromium)\/(\S+) Windows$/  os=Windows:0.6 software=$1/$2:0.8 category=workstation:0.3  ref=chromium-dial
ssdp_user_agent  regex /^(Google Chrome|Microsoft Edge|Chromium)\/(\S+) Mac OS X$/  os=macOS:0.6 vendor=Apple:0.5 software=$1/$2:0.8 category=workstation:0.3  ref=chromium-dial
ssdp_user_agent  regex /^(Google Chrome|Microsoft Edge|Chromium)\/(\S+) Linux$/  os=Linux:0.55 software=$1/$2:0.8  ref=chromium-dial
ssdp_user_agent  regex /^(Google Chrome|Microsoft Edge|Chromium)\/(\S+) (?:CrOS|Chrome OS)$/  os=ChromeOS:0.6 software=$1/$2:0.8  ref=chromium-dial
ssdp_user_agent  regex /^[A-Za-z][\w .-]{0,40}\/\S+,? UPnP\/[12]\.[01],? ([^\s\/]{2,40})\/(\S+)$/  software=$1/$2:0.6  ref=upnp-da

# ---- device types (NT / ST)
upnp_device_type  regex /^urn:schemas-upnp-org:device:(?:InternetGatewayDevice|WANDevice|WANConnectionDevice):\d+$/  category=network-infrastructure:0.65  ref=upnp-devices
upnp_device_type  regex /^urn:schemas-upnp-org:device:Printer:\d+$/  category=printer:0.7  ref=upnp-devices
upnp_device_type  regex /^urn:schemas-upnp-org:device:DigitalSecurityCamera:\d+$/  category=ip-camera:0.7  ref=upnp-devices
upnp_device_type  regex /^urn:schemas-upnp-org:device:MediaRenderer:\d+$/  category=iot-other:0.35  ref=upnp-devices
upnp_device_type  regex /^urn:schemas-wifialliance-org:device:WFADevice:\d+$/  category=network-infrastructure:0.5  ref=upnp-devices
upnp_device_type  regex /^urn:dial-multiscreen-org:device:dial:\d+$/  category=iot-other:0.5  ref=upnp-devices
upnp_device_type  regex /^urn:schemas-upnp-org:device:ZonePlayer:\d+$/  vendor=Sonos:0.85 category=iot-other:0.6  ref=upnp-devices

# ---- device description (UDA 1.1 §2.3), fetched from LOCATION over cleartext HTTP
upnp_manufacturer  regex /^(\S.{0,59})$/  vendor=$1:0.6  ref=upnp-description
upnp_model_name  regex /^(\S.{0,79})$/  model=$1:0.75  ref=upnp-description
