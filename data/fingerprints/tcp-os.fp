# medtap fingerprint knowledge — TCP stack OS labels
@purpose Map the OS labels a passive TCP/IP stack fingerprinter attaches to a host's SYN or SYN+ACK (fact tcp_os) to the os attribute; a stack signature is an inference, so confidence stays moderate.
@licence Apache-2.0 (written for medtap)

@ref p0f-labels p0f v3 documentation (README, section "Signature format"): signature labels name an OS family and flavour, e.g. "Windows 7 or 8", "Linux 3.11 and newer", "Mac OS X", "FreeBSD 9.x or newer"; medtap's tcp_os facts use the same "<family> <flavour>" wording

tcp_os  regex /^Windows(?: .*)?$/  os=Windows:0.5  ref=p0f-labels
tcp_os  regex /^Windows XP(?: .*)?$/  os_version=5.1:0.4  ref=p0f-labels
tcp_os  regex /^Linux(?: .*)?$/  os=Linux:0.5  ref=p0f-labels
tcp_os  regex /^Mac OS X(?: .*)?$/  os=macOS:0.5  ref=p0f-labels
tcp_os  regex /^(?:iOS|iPhone OS)(?: .*)?$/  os=iOS:0.5 category=mobile:0.3  ref=p0f-labels
tcp_os  regex /^Android(?: .*)?$/  os=Android:0.5 category=mobile:0.3  ref=p0f-labels
tcp_os  regex /^FreeBSD(?: .*)?$/  os=FreeBSD:0.5  ref=p0f-labels
tcp_os  regex /^OpenBSD(?: .*)?$/  os=OpenBSD:0.5  ref=p0f-labels
tcp_os  regex /^Solaris(?: .*)?$/  os=Solaris:0.5  ref=p0f-labels
