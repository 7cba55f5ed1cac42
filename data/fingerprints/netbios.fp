# medtap fingerprint knowledge — NetBIOS browser announcements
@purpose Derive the OS (Windows NT version, Windows 9x, Samba) and server role from NetBIOS browser host announcements: the OS version fields, the server type flags and the comment.
@licence Apache-2.0 (written for medtap from the cited specifications and corpus observations)
#
# os_version for Windows is the NT version the host announces (see data/fingerprints/README.md): 10.0 covers
# Windows 10, 11 and Server 2016-2025, 6.3 Windows 8.1 / Server 2012 R2, 6.2 Windows 8 / Server 2012, 6.1
# Windows 7 / Server 2008 R2, 6.0 Vista / Server 2008, 5.2 XP x64 / Server 2003, 5.1 XP, 5.0 Windows 2000.

@ref ms-brws [MS-BRWS] §2.2.4 HostAnnouncement: OSVersionMajor/OSVersionMinor carry the announcing system's version; §2.2.4 server type flags (SV_TYPE_*)
@ref ms-osver Microsoft Learn, Win32 "Operating System Version": NT version numbers per Windows release (10.0, 6.3, 6.2, 6.1, 6.0, 5.2, 5.1, 5.0)
@ref obs-netbios Observed browser announcements: lan_mixed/ndpi__gnutella.pcap frame 101 (MSEDGEWIN10, 10.0), nbns_netbios/ndpi__netbios.pcap frame 113 (BOWIE, 6.1), lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap frame 106 (6.3)
@ref win9x-browser Windows 95/98/Me (and NT 4.0) announce version 4.0; 9x hosts set the SV_TYPE_WINDOWS (0x00400000, "Windows 95 or later") and SV_TYPE_WFW flags — observed nbns_netbios/ndpi__dos_win98_smb_netbeui.pcap frame 33 (MDJR98)
@ref samba-announce smb.conf(5) "announce version" (default 4.9) and "server string" (default "Samba %v"; Debian and Ubuntu packages set "%h server (Samba, Ubuntu)" / "(Samba, Debian)"); observed lan_mixed/ndpi__1kxun.pcap frame 389

netbios_os_version  exact "10.0"  os=Windows:0.8 os_version=10.0:0.8  ref=obs-netbios
netbios_os_version  exact "6.3"  os=Windows:0.8 os_version=6.3:0.8  ref=ms-osver
netbios_os_version  exact "6.2"  os=Windows:0.8 os_version=6.2:0.8  ref=ms-osver
netbios_os_version  exact "6.1"  os=Windows:0.8 os_version=6.1:0.8  ref=ms-osver
netbios_os_version  exact "6.0"  os=Windows:0.8 os_version=6.0:0.8  ref=ms-osver
netbios_os_version  exact "5.2"  os=Windows:0.8 os_version=5.2:0.8  ref=ms-osver
netbios_os_version  exact "5.1"  os=Windows:0.8 os_version=5.1:0.8  ref=ms-osver
netbios_os_version  exact "5.0"  os=Windows:0.8 os_version=5.0:0.8  ref=ms-osver
netbios_os_version  exact "4.0"  os=Windows:0.6 os_version=4.0:0.5  ref=win9x-browser
netbios_os_version  exact "4.9"  software=Samba:0.75  ref=samba-announce

netbios_server_type  regex /^(?:.*,)?windows_95_plus(?:,.*)?$/  os=Windows:0.75 os_version=9x:0.7 category=workstation:0.4  ref=win9x-browser
netbios_server_type  regex /^(?:.*,)?(?:domain_controller|backup_controller)(?:,.*)?$/  category=server:0.6  ref=ms-brws
netbios_server_type  regex /^(?:.*,)?nt_server(?:,.*)?$/  category=server:0.45  ref=ms-brws

netbios_comment  regex /^.*\(Samba, (?:Ubuntu|Debian)\)$/  os=Linux:0.75 software=Samba:0.8  ref=samba-announce
netbios_comment  regex /^Samba (\d[\w.]*)$/  software=Samba/$1:0.85  ref=samba-announce
