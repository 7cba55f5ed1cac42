# medtap fingerprint knowledge — SMB and NTLM OS versions
@purpose Derive the OS from the version a host states in NTLM authentication (NTLMSSP VERSION structure) and in SMB1 session setup (NativeOS / NativeLanMan strings).
@licence Apache-2.0 (written for medtap from the cited specifications)

@ref ms-nlmp [MS-NLMP] §2.2.2.10 VERSION: ProductMajorVersion.ProductMinorVersion.ProductBuild of the Windows host (recorded as "10.0.19041"); Samba fills the structure too, hence the lower confidence than NetBIOS
@ref ms-cifs [MS-CIFS] §2.2.4.53 SMB_COM_SESSION_SETUP_ANDX: NativeOS and NativeLanMan strings ("Windows 5.1", "Windows Server 2003 3790 Service Pack 2"; Samba sends "Unix" / "Samba <version>")
@ref obs-smbfs Observed in the corpus (zeek raw_ntlm_in_smb.pcap): Apple's SMB client sends NativeOS "Mac OS X 10.10", NativeLanMan "SMBFS 3.0.0" and an NTLMSSP VERSION of 6.1.7600 (a Windows 7 value), so its NativeOS must outweigh ntlm_os_version
@ref ms-osver Microsoft Learn, Win32 "Operating System Version": NT version numbers per Windows release

ntlm_os_version  regex /^(\d+\.\d+)\.\d+$/  os=Windows:0.75 os_version=$1:0.75  ref=ms-nlmp
smb_native_os  regex /^Windows (\d+\.\d+)$/  os=Windows:0.85 os_version=$1:0.8  ref=ms-cifs
smb_native_os  regex /^Windows Server (?:2003|2008|2012|2016|2019|2022)(?: R2)? .*$/  os=Windows:0.85 category=server:0.7  ref=ms-cifs
smb_native_os  regex /^Windows Server 2003 .*$/  os_version=5.2:0.8  ref=ms-osver
smb_native_os  regex /^Windows Server 2008 R2 .*$/  os_version=6.1:0.8  ref=ms-osver
smb_native_os  regex /^Windows 7 .*$/  os=Windows:0.85 os_version=6.1:0.8 category=workstation:0.4  ref=ms-osver
smb_native_os  regex /^Windows Vista .*$/  os=Windows:0.85 os_version=6.0:0.8 category=workstation:0.4  ref=ms-osver
smb_native_lanman  regex /^Samba (\d[\w.-]*)$/  software=Samba/$1:0.9  ref=ms-cifs
smb_native_os  regex /^Mac OS X (\d+\.\d+(?:\.\d+)?)$/  os=macOS:0.95 os_version=$1:0.9 vendor=Apple:0.6  ref=obs-smbfs
