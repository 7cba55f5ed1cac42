# medtap fingerprint knowledge — SSH identification strings
@purpose Derive software and OS from the SSH protocol version exchange line a server or client sends ("SSH-2.0-<software> <comments>").
@licence Apache-2.0 (written for medtap from the cited specifications and packaging)

@ref rfc4253 RFC 4253 §4.2 Protocol Version Exchange: "SSH-protoversion-softwareversion SP comments"
@ref distro-openssh Linux and BSD distributions' OpenSSH packages append the package to the identification string: "OpenSSH_8.9p1 Ubuntu-3ubuntu0.6", "OpenSSH_9.2p1 Debian-2+deb12u3", "OpenSSH_9.3 FreeBSD-20230719", "OpenSSH_7.9p1 Raspbian-10+deb10u2"
@ref ssh-products SSH implementations' identification strings: Dropbear (embedded Linux) "dropbear_<version>", Cisco IOS "Cisco-<version>", MikroTik RouterOS "ROSSSH", Microsoft's Win32-OpenSSH "OpenSSH_for_Windows_<version>", libssh "libssh_<version>"

ssh_banner  regex /^SSH-(?:2\.0|1\.99)-OpenSSH_([\w.]+)(?: .*)?$/  software=OpenSSH/$1:0.9  ref=rfc4253
ssh_banner  regex /^SSH-(?:2\.0|1\.99)-OpenSSH_[\w.]+ (?:Ubuntu|Debian|Raspbian)-.*$/  os=Linux:0.8  ref=distro-openssh
ssh_banner  regex /^SSH-(?:2\.0|1\.99)-OpenSSH_[\w.]+ FreeBSD-.*$/  os=FreeBSD:0.8  ref=distro-openssh
ssh_banner  regex /^SSH-2\.0-OpenSSH_for_Windows_([\w.]+)$/  software="OpenSSH for Windows/$1":0.9 os=Windows:0.85  ref=ssh-products
ssh_banner  regex /^SSH-2\.0-dropbear_([\w.]+)$/  software="Dropbear SSH/$1":0.9 os=Linux:0.55  ref=ssh-products
ssh_banner  regex /^SSH-(?:2\.0|1\.99)-Cisco-([\w.]+)$/  vendor=Cisco:0.8 os="Cisco IOS":0.6 category=network-infrastructure:0.5  ref=ssh-products
ssh_banner  exact "SSH-2.0-ROSSSH"  vendor=MikroTik:0.85 os=RouterOS:0.85 category=network-infrastructure:0.7  ref=ssh-products
ssh_banner  regex /^SSH-2\.0-libssh[_-]([\w.]+)$/  software=libssh/$1:0.85  ref=ssh-products
