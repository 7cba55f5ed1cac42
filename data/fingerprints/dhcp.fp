# medtap fingerprint knowledge — DHCPv4 client options
@purpose Identify the DHCP client software, and through it the OS, from the vendor class identifier (option 60), the parameter request list in wire order (option 55) and the client identifier (option 61) a client sends.
@licence Apache-2.0 (written for medtap from the cited documentation and corpus observations)
#
# The parameter request list is the order in which a client's DHCP implementation asks for options; it is set by
# the implementation (and its configuration file), not by the user, so an exact list is good evidence of the
# client software. Lists are written as the collector records them: decimal codes, comma-separated, wire order.
# Observations cite ../shared/corpus captures by file and frame (each is public; see its SOURCES.md); the same
# devices' other announcements (NetBIOS OS version, mDNS model, hostnames) tie the list to the OS.
# No public documentation of medical devices' DHCP vendor classes was found; none are listed.

# Background: RFC 2132 §9.8 (parameter request list) and §9.13 (vendor class identifier): client-chosen values that identify the client's implementation
@ref ms-vendor-class Microsoft DHCP documentation: Windows 2000 and later clients send vendor class "MSFT 5.0" (Windows 98/Me "MSFT 98"); the DHCP server's predefined "Microsoft Windows 2000 Options" class matches it
@ref aosp-dhcp Android Open Source Project, android.net.dhcp.DhcpPacket (Android 5 and later): vendor class "android-dhcp-" followed by the Android release (Build.VERSION.RELEASE)
@ref dhcpcd-man dhcpcd(8)/dhcpcd.conf(5) (Roy Marples): default vendor class "dhcpcd-<version>:<os>-<release>:<machine>:<platform>" (some builds, e.g. Android 4.x's, send only "dhcpcd-<version>")
@ref busybox-udhcpc BusyBox udhcpc (networking/udhcp): default vendor class "udhcp <busybox version>"; BusyBox is the userland of most embedded Linux systems
@ref pxe-spec Intel Preboot Execution Environment specification 2.1 §2.2 and RFC 4578 §2.1: PXE firmware sends vendor class "PXEClient:Arch:xxxxx:UNDI:yyyzzz"
@ref cisco-pnp Cisco Network Plug and Play documentation: devices looking for the PnP server send DHCP vendor class "ciscopnp"
@ref cisco-client-id Cisco IOS DHCP client ("ip address dhcp"): default client identifier "cisco-<mac>-<interface>" (type 0, text); observed dhcp/zeek__hw-type0.pcap frame 1 (cisco-cc00.0ac4.0000-Fa0/0)
@ref obs-win10 Observed with vendor class "MSFT 5.0" on Windows 10 hosts that announce NetBIOS OS version 10.0: lan_mixed/ndpi__gnutella.pcap frame 7 (MSEDGEWIN10, browser frame 101), lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap frames 21 and 302 (DESKTOP-V1FA0UQ, browser frame 88)
@ref obs-win6x Observed with vendor class "MSFT 5.0" and Windows 7 era hostnames (<name>-PC): lan_mixed/ndpi__1kxun.pcap frames 675 and 833, lan_mixed/sv__output-eve-ftp-data.pcap frame 8; the list differs from Windows 10's by its order (1,15,3,6,… versus 1,3,6,15,…)
@ref obs-macos Observed: iot/ndpi__android.pcap frame 13 and iot/ndpi__iphone.pcap frame 2 (Lucas-iMac, whose mDNS TXT says model=iMac11,3 osxvers=17, frame 3); lan_mixed/ndpi__1kxun.pcap frame 597 (MacBook-Air, Apple OUI) for the older order without option 121
@ref obs-ios Observed: iot/ndpi__iphone.pcap frame 29 (Lucas-iPhone), lan_mixed/ndpi__1kxun.pcap frame 11 (Apple OUI); lan_mixed/ndpi__capwap.pcap frame 280 (kawai-iPad3) for the older list without 121
@ref obs-android Observed with vendor class android-dhcp-9: iot/ndpi__android.pcap frame 67; with dhcpcd-5.5.6 and android-<hex> hostnames: lan_mixed/ndpi__1kxun.pcap frame 706, lan_mixed/ndpi__alexa-app.pcapng frame 7
@ref debian-dhclient ISC dhclient with the request statement of Debian/Ubuntu's /etc/dhcp/dhclient.conf (subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers, domain-search, host-name, netbios-name-servers, netbios-scope, interface-mtu, rfc3442-classless-static-routes, ntp-servers = 1,28,2,3,15,6,119,12,44,47,26,121,42); observed dhcp/csanders__dhcp_inlease_renewal.pcapng frame 1 (ubuntu2)
@ref nm-dhclient NetworkManager running ISC dhclient appends its own "also request" options to the distribution's list; observed dhcp/malcolm__DHCP.pcap frame 5 (pop-os) and lan_mixed/ndpi__1kxun.pcap frame 941 (Ubuntu laptop announcing "Samba, Ubuntu")
@ref systemd-dhcp systemd's DHCPv4 client (src/libsystemd-network/sd-dhcp-client.c, default_req_opts: subnet mask, router, host name, domain name, DNS servers = 1,3,12,15,6, in that order; systemd-networkd appends the options its .network file enables); releases that sort the list on the wire are not distinguishable from other sorted lists and are not matched
@ref isc-dhclient-default ISC dhclient without a request statement asks for subnet-mask, broadcast-address, time-offset, routers, domain-name, domain-name-servers, host-name (1,28,2,3,15,6,12); observed dhcp/sv__dhcp-eve-extended.pcap frame 1 (Synology NAS "nas1"), dhcp/tcpdump__dhcp-rfc3004.pcap frame 1

# ---- vendor class identifier (option 60)
dhcp_vendor_class  exact "MSFT 5.0"  os=Windows:0.75 category=workstation:0.3  ref=ms-vendor-class
dhcp_vendor_class  exact "MSFT 98"  os=Windows:0.75 os_version=9x:0.6 category=workstation:0.3  ref=ms-vendor-class
dhcp_vendor_class  regex /^android-dhcp-(\d+(?:\.\d+)*)$/  os=Android:0.9 os_version=$1:0.85 category=mobile:0.6  ref=aosp-dhcp
dhcp_vendor_class  regex /^dhcpcd-(\d[\w.]*)$/  software=dhcpcd/$1:0.9  ref=dhcpcd-man
dhcp_vendor_class  exact "dhcpcd-5.5.6"  os=Android:0.6 category=mobile:0.45  ref=obs-android
dhcp_vendor_class  regex /^dhcpcd-(\d[\w.]*):Linux-([^:]+):([^:]*):?.*$/  software=dhcpcd/$1:0.9 os=Linux:0.85 os_version=$2:0.8  ref=dhcpcd-man
dhcp_vendor_class  regex /^dhcpcd-(\d[\w.]*):(NetBSD|FreeBSD|OpenBSD|DragonFly)-([^:]+):.*$/  software=dhcpcd/$1:0.9 os=$2:0.85 os_version=$3:0.8  ref=dhcpcd-man
dhcp_vendor_class  regex /^dhcpcd-[\w.]+:Linux-[^:]+:[^:]*:BCM27\d\d$/  vendor="Raspberry Pi":0.8 category=iot-other:0.4  ref=dhcpcd-man
dhcp_vendor_class  regex /^udhcp (\d[\w.]*)$/  software="BusyBox udhcpc/$1":0.9 os=Linux:0.6  ref=busybox-udhcpc
dhcp_vendor_class  regex /^PXEClient(?::Arch:\d{5}:UNDI:\d{6})?$/  software="PXE boot firmware":0.85  ref=pxe-spec
dhcp_vendor_class  exact "ciscopnp"  vendor=Cisco:0.8 category=network-infrastructure:0.6  ref=cisco-pnp

# ---- client identifier (option 61, recorded as type:hex)
dhcp_client_id  prefix "0:636973636f2d"  vendor=Cisco:0.75 os="Cisco IOS":0.75 category=network-infrastructure:0.5  ref=cisco-client-id

# ---- parameter request list (option 55, wire order)
dhcp_parameter_list  exact "1,3,6,15,31,33,43,44,46,47,119,121,249,252"  os=Windows:0.7 os_version=10.0:0.5 category=workstation:0.3  ref=obs-win10
dhcp_parameter_list  exact "1,3,6,15,31,33,43,44,46,47,121,249,252"  os=Windows:0.7 os_version=10.0:0.5 category=workstation:0.3  ref=obs-win10
dhcp_parameter_list  exact "1,15,3,6,44,46,47,31,33,121,249,43,252"  os=Windows:0.7 category=workstation:0.3  ref=obs-win6x
dhcp_parameter_list  exact "1,15,3,6,44,46,47,31,33,121,249,43"  os=Windows:0.7 category=workstation:0.3  ref=obs-win6x
dhcp_parameter_list  exact "1,121,3,6,15,119,252,95,44,46"  os=macOS:0.7 vendor=Apple:0.6 category=workstation:0.3  ref=obs-macos
dhcp_parameter_list  exact "1,3,6,15,119,95,252,44,46"  os=macOS:0.6 vendor=Apple:0.55 category=workstation:0.3  ref=obs-macos
dhcp_parameter_list  exact "1,121,3,6,15,119,252"  os=iOS:0.6 vendor=Apple:0.6 category=mobile:0.45  ref=obs-ios
dhcp_parameter_list  exact "1,3,6,15,119,252"  os=iOS:0.5 vendor=Apple:0.5 category=mobile:0.4  ref=obs-ios
dhcp_parameter_list  exact "1,3,6,15,26,28,51,58,59,43"  os=Android:0.7 category=mobile:0.45  ref=obs-android
dhcp_parameter_list  exact "1,33,3,6,15,28,51,58,59"  os=Android:0.65 category=mobile:0.45  ref=obs-android
dhcp_parameter_list  exact "1,33,3,6,15,26,28,51,58,59"  os=Android:0.65 category=mobile:0.45  ref=obs-android
dhcp_parameter_list  exact "1,28,2,3,15,6,119,12,44,47,26,121,42"  os=Linux:0.7 software="ISC dhclient":0.6  ref=debian-dhclient
dhcp_parameter_list  prefix "1,28,2,3,15,6,119,12,44,47,26,121,42,"  os=Linux:0.7 software="ISC dhclient":0.55 category=workstation:0.3  ref=nm-dhclient
dhcp_parameter_list  regex /^1,28,2,3,15,6,12(?:,\d+)?$/  os=Linux:0.55 software="ISC dhclient":0.5  ref=isc-dhclient-default
dhcp_parameter_list  regex /^1,3,12,15,6(?:,\d+)*$/  os=Linux:0.55 software=systemd-networkd:0.5  ref=systemd-dhcp
