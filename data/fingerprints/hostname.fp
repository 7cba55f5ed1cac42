# medtap fingerprint knowledge — host names
@purpose Derive OS, vendor and category hints from host names announced in DHCP, mDNS, LLMNR and NetBIOS: operating systems' and devices' factory default names, and role words sites put in names.
@licence Apache-2.0 (written for medtap from the cited documentation and corpus observations)
#
# A host name is chosen by people; a factory default left in place is fair evidence, a role word is a hint.
# Role words must be a whole token of the name (separated by - _ . or digits), so "ct-01" counts and "doctor"
# does not. Confidence stays low: the combination with other evidence decides.

@ref win-default-name Windows 10 and 11 setup names a computer DESKTOP-<7 letters/digits> (LAPTOP-<8> on portable hardware) unless the user names it; Windows Server setup names it WIN-<11 letters/digits>; observed lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap (DESKTOP-V1FA0UQ announcing NetBIOS OS version 10.0, frame 88)
@ref win7-default-name Windows Vista and 7 setup proposes <user name>-PC; observed with NetBIOS OS version 6.1: lan_mixed/sv__base64-decode-5885.pcap (USER-PC); with Windows 7-era DHCP lists: lan_mixed/ndpi__1kxun.pcap (kevin-PC, Joanna-PC)
@ref msedge-vm Microsoft's "MSEdge on Windows 10" developer virtual machine is named MSEDGEWIN10; observed lan_mixed/ndpi__gnutella.pcap frame 101 with NetBIOS OS version 10.0
@ref android-default-name Android 7 and earlier name the device android-<16 hex digits of Settings.Secure.ANDROID_ID> in DHCP; observed lan_mixed/ndpi__1kxun.pcap frame 706, lan_mixed/ndpi__alexa-app.pcapng frame 7
@ref apple-default-name Apple devices are named "<owner>'s iPhone/iPad/MacBook Pro/iMac" by default and announce it as <Owner>s-iPhone etc. in DHCP and mDNS; observed iot/ndpi__iphone.pcap (Lucas-iPhone, Lucas-iMac), lan_mixed/ndpi__1kxun.pcap (MacBook-Air)
@ref samsung-default-name Samsung phones are named Galaxy-<model> by default
@ref raspberrypi-default-name Raspberry Pi OS images ship with host name "raspberrypi"; observed dhcp/tcpdump__dhcp-mud.pcap frame 1 (with vendor class dhcpcd-…:BCM2709)
@ref linux-default-name Linux distribution installers propose the distribution name as host name (ubuntu, debian, fedora, pop-os, kali); observed dhcp/malcolm__DHCP.pcap (pop-os, ubuntu2) with Linux dhclient lists
@ref printer-default-name Printer factory host names: HP Jetdirect NPI<last 6 hex digits of the MAC> (HP Jetdirect administrator's guide), Brother BRN/BRW<MAC> (wired/wireless, Brother network user's guide), EPSON<last 6 hex digits>
@ref cisco-phone-name Cisco IP phones are named SEP<MAC> (Cisco Unified Communications Manager device name)
@ref axis-default-name Axis cameras use AXIS-<MAC> as default host name (Axis VAPIX / user manuals)
@ref naming-heuristic medtap heuristic (own judgement, weak by design): clinical engineering and IT teams commonly put the device role in host names (pump, vent, pacs, ct, ws, sw, …)

# ---- operating systems' default names
hostname  regex /^DESKTOP-[A-Z0-9]{7}$/i  os=Windows:0.6 os_version=10.0:0.4 category=workstation:0.35  ref=win-default-name
hostname  regex /^LAPTOP-[A-Z0-9]{8}$/i  os=Windows:0.6 os_version=10.0:0.4 category=workstation:0.4  ref=win-default-name
hostname  regex /^WIN-[A-Z0-9]{11}$/i  os=Windows:0.6 category=server:0.45  ref=win-default-name
hostname  regex /^[^-.\s]+-PC$/i  os=Windows:0.4 category=workstation:0.3  ref=win7-default-name
hostname  exact "MSEDGEWIN10"  os=Windows:0.8 os_version=10.0:0.7 category=workstation:0.4  ref=msedge-vm
hostname  regex /^android-[0-9a-f]{16}$/  os=Android:0.75 category=mobile:0.6  ref=android-default-name
hostname  regex /^(?:[\w'’-]*-)?iPhone(?:-\d+)?$/i  os=iOS:0.55 vendor=Apple:0.5 category=mobile:0.55  ref=apple-default-name
hostname  regex /^(?:[\w'’-]*-)?iPad(?:-\d+)?$/i  os=iOS:0.55 vendor=Apple:0.5 category=mobile:0.55  ref=apple-default-name
hostname  regex /^.*(?:MacBook(?:-?Pro|-?Air)?|iMac|Mac-?mini|Mac-?Pro|Mac-?Studio)(?:-\d+)?$/i  os=macOS:0.5 vendor=Apple:0.5 category=workstation:0.4  ref=apple-default-name
hostname  regex /^Galaxy-[\w-]+$/i  os=Android:0.5 vendor=Samsung:0.45 category=mobile:0.5  ref=samsung-default-name
hostname  exact "raspberrypi"  os=Linux:0.6 vendor="Raspberry Pi":0.5 category=iot-other:0.3  ref=raspberrypi-default-name
hostname  regex /^(?:ubuntu|debian|fedora|pop-os|kali)\d*$/i  os=Linux:0.5  ref=linux-default-name

# ---- device factory names
hostname  regex /^NPI[0-9A-F]{6}$/i  vendor=HP:0.6 category=printer:0.65  ref=printer-default-name
hostname  regex /^BR[NW][0-9A-F]{12}$/i  vendor=Brother:0.65 category=printer:0.65  ref=printer-default-name
hostname  regex /^EPSON[0-9A-F]{6}$/i  vendor=Epson:0.6 category=printer:0.6  ref=printer-default-name
hostname  regex /^SEP[0-9A-F]{12}$/i  vendor=Cisco:0.7 category=voip-phone:0.75  ref=cisco-phone-name
hostname  regex /^AXIS-[0-9A-F]{12}$/i  vendor=Axis:0.7 category=ip-camera:0.7  ref=axis-default-name

# ---- role words (a whole token of the name)
hostname  regex /^(?:.*[-_.])?(?:pump|infusion|alaris|pca)[-_.]?\d*(?:[-_.].*)?$/i  category=infusion-pump:0.45  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:vent|ventilator)[-_.]?\d*(?:[-_.].*)?$/i  category=ventilator:0.4  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:monitor|patmon|bedside)[-_.]?\d*(?:[-_.].*)?$/i  category=patient-monitor:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?bed[-_.]?\d*(?:[-_.].*)?$/i  category=patient-monitor:0.25  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:piic|central|centralstation)[-_.]?\d*(?:[-_.].*)?$/i  category=central-station:0.4  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:tele|telemetry)[-_.]?\d*(?:[-_.].*)?$/i  category=telemetry:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:ct|cts)[-_.]?\d*(?:[-_.].*)?$/i  category=imaging-ct:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:mr|mri)[-_.]?\d*(?:[-_.].*)?$/i  category=imaging-mr:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:xray|x-ray)[-_.]?\d*(?:[-_.].*)?$/i  category=imaging-xray:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:ultrasound|echo)[-_.]?\d*(?:[-_.].*)?$/i  category=imaging-us:0.3  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:mammo|mammography)[-_.]?\d*(?:[-_.].*)?$/i  category=mammography:0.4  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?pacs[-_.]?\d*(?:[-_.].*)?$/i  category=pacs:0.45  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:hl7|mirth|cloverleaf|rhapsody)[-_.]?\d*(?:[-_.].*)?$/i  category=hl7-interface-engine:0.4  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:lab|analyzer|analyser)[-_.]?\d*(?:[-_.].*)?$/i  category=lab-analyzer:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:dialysis)[-_.]?\d*(?:[-_.].*)?$/i  category=dialysis:0.45  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:defib|aed)[-_.]?\d*(?:[-_.].*)?$/i  category=defibrillator:0.4  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:pyxis|omnicell|dispensing)[-_.]?\d*(?:[-_.].*)?$/i  category=medication-dispensing:0.45  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:nursecall|nurse-call)[-_.]?\d*(?:[-_.].*)?$/i  category=nurse-call:0.45  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:printer|prn|prt)[-_.]?\d*(?:[-_.].*)?$/i  category=printer:0.4  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:cam|camera|ipcam|cctv)[-_.]?\d*(?:[-_.].*)?$/i  category=ip-camera:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:ws|wks|pc|desktop|laptop)[-_.]?\d*(?:[-_.].*)?$/i  category=workstation:0.3  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:srv|server|dc)[-_.]?\d*(?:[-_.].*)?$/i  category=server:0.3  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:sw|switch|rtr|router|gw|fw|firewall|wlc)[-_.]?\d*(?:[-_.].*)?$/i  category=network-infrastructure:0.35  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:phone|voip)[-_.]?\d*(?:[-_.].*)?$/i  category=voip-phone:0.3  ref=naming-heuristic
hostname  regex /^(?:.*[-_.])?(?:tablet|ipad|handheld)[-_.]?\d*(?:[-_.].*)?$/i  category=mobile:0.35  ref=naming-heuristic
