# medtap fingerprint knowledge — HTTP User-Agent and Server headers
@purpose Derive OS and software from HTTP request User-Agent headers (clients) and response Server headers (servers, embedded web interfaces).
@licence Apache-2.0 (written for medtap from the cited documentation)
#
# Browsers' User-Agent OS tokens are partly frozen (Windows 11 still says "Windows NT 10.0", macOS browsers say
# "Mac OS X 10_15_7"), so only the NT version and mobile OS versions are taken as os_version.

# Background: RFC 9110 §10.1.5 User-Agent and §10.2.4 Server: product/version tokens and comments
@ref ua-browsers Browser User-Agent formats (MDN "User-Agent" reference; Microsoft "User-Agent string" documentation): "(Windows NT <version>; …)", "(iPhone; CPU iPhone OS <major>_<minor> like Mac OS X)", "(Linux; Android <version>; …)", "(Macintosh; Intel Mac OS X …)"
@ref ms-system-agents Windows system components' User-Agents: Microsoft-CryptoAPI/<NT version> (certificate revocation fetches), Microsoft NCSI (network connectivity probe), Windows-Update-Agent/…; http.sys responses carry Server: Microsoft-HTTPAPI/2.0
@ref iis-versions Microsoft IIS releases by Windows version: IIS 10.0 = NT 10.0 (Windows 10/11, Server 2016+), 8.5 = 6.3 (Server 2012 R2), 8.0 = 6.2 (Server 2012), 7.5 = 6.1 (Server 2008 R2), 7.0 = 6.0 (Server 2008), 6.0 = 5.2 (Server 2003)
@ref server-products Server header formats of common web servers: Apache "Apache/<version> (<OS>)", nginx "nginx/<version>", lighttpd "lighttpd/<version>"; Debian/Ubuntu/CentOS packages name the distribution in the comment
@ref embedded-servers Embedded web servers: GoAhead-Webs and Boa (embedded Linux devices), HP-ChaiSOE (HP printers' embedded web server), Virata-EmWeb (printers and network devices)
@ref client-tools Command-line clients: curl/<version>, Wget/<version>

http_user_agent  regex /^Mozilla\/5\.0 \(Windows NT (\d+\.\d+)[;)].*$/  os=Windows:0.75 os_version=$1:0.6  ref=ua-browsers
http_user_agent  regex /^Mozilla\/5\.0 \(iPhone; CPU iPhone OS (\d+)_(\d+).*$/  os=iOS:0.75 os_version=$1.$2:0.6 vendor=Apple:0.7 category=mobile:0.65  ref=ua-browsers
http_user_agent  regex /^Mozilla\/5\.0 \(iPad; CPU OS (\d+)_(\d+).*$/  os=iOS:0.75 os_version=$1.$2:0.6 vendor=Apple:0.7 category=mobile:0.65  ref=ua-browsers
http_user_agent  regex /^Mozilla\/5\.0 \(Linux; (?:U; )?Android (\d+(?:\.\d+)*)[;)].*$/  os=Android:0.75 os_version=$1:0.6 category=mobile:0.5  ref=ua-browsers
http_user_agent  regex /^Mozilla\/5\.0 \(Macintosh; Intel Mac OS X [\d_.]+[;)].*$/  os=macOS:0.7 vendor=Apple:0.6 category=workstation:0.35  ref=ua-browsers
http_user_agent  regex /^Mozilla\/5\.0 \(X11; (?:Ubuntu; )?Linux [^;)]+[;)].*$/  os=Linux:0.65 category=workstation:0.3  ref=ua-browsers
http_user_agent  regex /^Microsoft-CryptoAPI\/(\d+\.\d+)$/  os=Windows:0.85 os_version=$1:0.8  ref=ms-system-agents
http_user_agent  exact "Microsoft NCSI"  os=Windows:0.85  ref=ms-system-agents
http_user_agent  prefix "Windows-Update-Agent/"  os=Windows:0.85  ref=ms-system-agents
http_user_agent  regex /^curl\/(\d[\w.-]*)$/  software=curl/$1:0.85  ref=client-tools
http_user_agent  regex /^Wget\/(\d[\w.-]*)(?: .*)?$/  software=Wget/$1:0.85  ref=client-tools

http_server  regex /^Microsoft-IIS\/(\d+\.\d+)$/  software="Microsoft IIS/$1":0.9 os=Windows:0.85 category=server:0.45  ref=iis-versions
http_server  exact "Microsoft-IIS/10.0"  os_version=10.0:0.6  ref=iis-versions
http_server  exact "Microsoft-IIS/8.5"  os_version=6.3:0.75  ref=iis-versions
http_server  exact "Microsoft-IIS/8.0"  os_version=6.2:0.75  ref=iis-versions
http_server  exact "Microsoft-IIS/7.5"  os_version=6.1:0.75  ref=iis-versions
http_server  exact "Microsoft-IIS/7.0"  os_version=6.0:0.75  ref=iis-versions
http_server  exact "Microsoft-IIS/6.0"  os_version=5.2:0.75  ref=iis-versions
http_server  exact "Microsoft-HTTPAPI/2.0"  os=Windows:0.8  ref=ms-system-agents
http_server  regex /^Apache\/(\d[\w.]*)(?: .*)?$/  software="Apache httpd/$1":0.85  ref=server-products
http_server  regex /^Apache\/\S+ \((?:Ubuntu|Debian|CentOS|Red Hat|Fedora|Rocky Linux|AlmaLinux)\).*$/  os=Linux:0.7  ref=server-products
http_server  regex /^nginx\/(\d[\w.]*)(?: .*)?$/  software=nginx/$1:0.85  ref=server-products
http_server  regex /^lighttpd\/(\d[\w.-]*)$/  software=lighttpd/$1:0.85  ref=server-products
http_server  regex /^GoAhead-Webs(?:\/(\S+))?$/  software=GoAhead-Webs:0.8 os=Linux:0.4 category=iot-other:0.3  ref=embedded-servers
http_server  regex /^Boa\/(\d[\w.]*)$/  software=Boa/$1:0.85 os=Linux:0.45 category=iot-other:0.3  ref=embedded-servers
http_server  regex /^HP-ChaiSOE\/(\S+)$/  software=HP-ChaiSOE/$1:0.85 vendor=HP:0.75 category=printer:0.7  ref=embedded-servers
http_server  regex /^Virata-EmWeb\/(\S+)$/  software=Virata-EmWeb/$1:0.85 category=printer:0.35  ref=embedded-servers
