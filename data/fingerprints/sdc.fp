# medtap fingerprint knowledge — IEEE 11073 SDC / DPWS / WS-Discovery self-descriptions
@purpose Derive vendor, model and category from what DPWS devices say of themselves: WS-Discovery types (sdc_types, sdc_medical_device) and DPWS ThisModel metadata (sdc_manufacturer, sdc_model_name), as collected by src/identify/sdc-identity.ts.
@licence Apache-2.0 (written for medtap from the cited specifications and vendor documentation)

@ref mdpws IEEE 11073-20702-2016 (MDPWS) §5: an SDC service provider's hosting service has the type mdpws:MedicalDevice (namespace http://standards.ieee.org/downloads/11073/11073-20702-2016); IEEE 11073-20701-2018 §9.2 requires it in Hello/ProbeMatch Types
@ref dpws-thismodel DPWS 1.1 (OASIS 2009) §5.2.1: ThisModel/Manufacturer and ModelName are the device's own maker and model names, meant for display to users
@ref ms-wsd Microsoft "Web Services on Devices" (WSD) device types for printers (wprt:PrintDeviceType, namespace http://schemas.microsoft.com/windows/2006/08/wdp/print), scanners (wscn:ScanDeviceType, …/wdp/scan) and Windows computers publishing themselves by Function Discovery (pub:Computer, http://schemas.microsoft.com/windows/pub/2005/07)
@ref draeger-lines Dräger product lines as named in Drägerwerk's product catalogue and instructions for use: Evita, Savina, Babylog, Oxylog (ventilators: ICU, ICU, neonatal, transport); Perseus, Primus, Zeus, Fabius, Atlan (anaesthesia workstations); Infinity (patient monitoring: Infinity Delta, M540, Acute Care System)
@ref medical-makers Legal and trade names of SDC-participating medical device makers as used in their DPWS ThisModel/Manufacturer and product documentation: Drägerwerk AG & Co. KGaA (Dräger), Koninklijke Philips N.V. / Philips Medizin Systeme Böblingen (Philips), GE Healthcare, B. Braun Melsungen AG, Getinge / Maquet, Fresenius Kabi, Mindray, Nihon Kohden, Siemens Healthineers (OR.NET / SDC interoperability demonstrators)

# ---- types
sdc_medical_device  exact "true"  category=medical-other:0.8  ref=mdpws
sdc_types  exact "{http://schemas.microsoft.com/windows/2006/08/wdp/print}PrintDeviceType"  category=printer:0.8  ref=ms-wsd
sdc_types  exact "{http://schemas.microsoft.com/windows/2006/08/wdp/scan}ScanDeviceType"  category=printer:0.6  ref=ms-wsd
sdc_types  exact "{http://schemas.microsoft.com/windows/pub/2005/07}Computer"  os=Windows:0.6 category=workstation:0.5  ref=ms-wsd

# ---- ThisModel/Manufacturer: canonical vendor names (README: one spelling per company)
sdc_manufacturer  regex /^(?:Dr(?:ä|ae|a)ger).*$/i  vendor=Dräger:0.9  ref=medical-makers
sdc_manufacturer  regex /^(?:Koninklijke )?Philips.*$/i  vendor=Philips:0.9  ref=medical-makers
sdc_manufacturer  regex /^(?:GE Healthcare|GE Medical Systems|Datex-Ohmeda).*$/i  vendor="GE Healthcare":0.9  ref=medical-makers
sdc_manufacturer  regex /^B\.? ?Braun.*$/i  vendor="B. Braun":0.9  ref=medical-makers
sdc_manufacturer  regex /^(?:Getinge|Maquet).*$/i  vendor=Getinge:0.85  ref=medical-makers
sdc_manufacturer  regex /^Fresenius Kabi.*$/i  vendor="Fresenius Kabi":0.85  ref=medical-makers
sdc_manufacturer  regex /^Fresenius Medical Care.*$/i  vendor="Fresenius Medical Care":0.85  ref=medical-makers
sdc_manufacturer  regex /^(?:Shenzhen )?Mindray.*$/i  vendor=Mindray:0.85  ref=medical-makers
sdc_manufacturer  regex /^Nihon Kohden.*$/i  vendor="Nihon Kohden":0.85  ref=medical-makers
sdc_manufacturer  regex /^Siemens Healthineers.*$/i  vendor="Siemens Healthineers":0.85  ref=medical-makers
sdc_manufacturer  regex /^(\S.{0,59})$/  vendor=$1:0.6  ref=dpws-thismodel

# ---- ThisModel/ModelName
sdc_model_name  regex /^(\S.{0,79})$/  model=$1:0.85  ref=dpws-thismodel
# Product lines of a maker that announces SDC (the MDIB, which would name the device kind, is not read).
sdc_model_name  regex /^(?:Dr(?:ä|ae|a)ger )?(?:Evita|Savina|Babylog|Oxylog)\b.*$/i  category=ventilator:0.85  ref=draeger-lines
sdc_model_name  regex /^(?:Dr(?:ä|ae|a)ger )?(?:Perseus|Primus|Zeus|Fabius|Atlan)\b.*$/i  category=anesthesia:0.85  ref=draeger-lines
sdc_model_name  regex /^(?:Dr(?:ä|ae|a)ger )?Infinity\b.*$/i  category=patient-monitor:0.85  ref=draeger-lines
