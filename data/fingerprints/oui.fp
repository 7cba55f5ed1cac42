# medtap fingerprint knowledge — MAC registrant (IEEE OUI) names
@purpose Map the IEEE registrant name of a device's MAC prefix (fact oui:vendor) to one canonical vendor spelling, with category hints where the registrant's networked product line is narrow (medical makers first).
@licence Apache-2.0 (written for medtap from the public IEEE registry and the vendors' public product catalogues)
#
# Confidence: the raw registrant name is already a vendor claim at 0.5 (it names the network interface maker,
# which for embedded and medical products is nearly always the device maker). A canonical spelling from a
# maker's own registration gets 0.7 (IT vendors 0.6: their prefixes also ship inside other makers' products).
# Category hints are weak (0.3-0.6): how narrow the maker's networked product line is, nothing more. Registrants
# of generic NIC or module makers (Intel, Liteon, AzureWave, Espressif modules inside others' products, …) get no
# vendor rule. False friends deliberately absent: "PYXIS S.R.L." (not BD Pyxis), "VARIAN" (Varian Associates
# prefix, not Varian Medical), "Cardinal Scale" (not Cardinal Health).

@ref ieee-ra IEEE Registration Authority public MA-L/MA-M/MA-S assignment listing (as packaged by oui-data 2.1.9): registrant organisation names
@ref philips-pm Philips patient monitoring (IntelliVue bedside monitors, Information Center); the registrant names its monitoring business unit
@ref ge-hc GE HealthCare product catalogue: monitoring, imaging (CT, MR, X-ray, ultrasound), anaesthesia; Datex-Ohmeda is part of GE HealthCare
@ref draeger Dräger product catalogue: ventilators (Evita, Savina), anaesthesia workstations (Perseus, Fabius), patient monitors (Infinity)
@ref bbraun B. Braun networked products: infusion pumps (Space, Perfusor, Infusomat) and their SpaceStation docks
@ref baxter Baxter: infusion systems (Sigma Spectrum, Novum) and renal/dialysis machines; Welch Allyn and Hillrom are Baxter brands since 2021
@ref bd BD (Becton, Dickinson and Company) acquired CareFusion in 2015: Alaris infusion pumps, Pyxis dispensing, lab and microbiology systems
@ref alaris Alaris Medical Systems (now BD Alaris): an infusion-pump maker
@ref icu-medical ICU Medical (Hospira infusion since 2017): Plum and LifeCare PCA infusion pumps
@ref fresenius Fresenius: Fresenius Medical Care makes dialysis machines; Fresenius Kabi (formerly Fresenius Vial) makes infusion pumps
@ref monitoring-makers Patient-monitoring makers' product lines: Masimo (pulse oximetry, Root), Mindray (BeneView, ePM), Nihon Kohden (Life Scope), Spacelabs (Xprezzon, Qube), Criticare, Nonin (pulse oximeters), Edwards Lifesciences (hemodynamic monitors), Welch Allyn (Connex vital signs)
@ref siemens-dx Siemens Healthineers diagnostics (formerly Siemens Healthcare Diagnostics): laboratory analysers (Atellica, ADVIA, Dimension)
@ref lab-makers Laboratory and point-of-care makers: Abbott Point of Care (i-STAT), Abbott Diagnostics (Alinity, Architect), Beckman Coulter, Sysmex, Roche Diagnostics (cobas), bioMérieux (VITEK)
@ref imaging-makers Imaging makers: Carestream (radiography, dental X-ray), Fujifilm Healthcare (radiography, ultrasound), Esaote (ultrasound, MR), Samsung Medison (ultrasound; Medison Co. is its registrant name since before Samsung acquired it in 2011)
@ref therapy-makers ZOLL (defibrillators incl. LifeVest), Physio-Control (LIFEPAK defibrillators, now Stryker), Maquet (Getinge: Servo ventilators, cardiopulmonary), ResMed and Philips Respironics (ventilation), Schiller and Mortara (ECG, defibrillators), Medtronic, Intuitive Surgical, Stryker, Hillrom (beds, nurse call)
@ref vocera Vocera (now Stryker): clinical voice badges and smartphones
@ref it-makers IT and IoT makers' product lines (vendor catalogues): Axis and Hikvision (IP cameras), Polycom, Yealink, Avaya, Mitel, Spectralink (IP phones), Brother, Lexmark, Xerox, Kyocera, Ricoh (printers), Synology and QNAP (NAS), Routerboard.com (MikroTik routers), Juniper, Arista, Fortinet, Palo Alto Networks, Cisco Meraki (network equipment), Raspberry Pi, Tuya, Sonos (IoT)

# ---- medical makers
oui:vendor  exact "Philips Patient Monitoring"  vendor=Philips:0.7 category=patient-monitor:0.6  ref=philips-pm
oui:vendor  prefix "Philips Medical Systems"  vendor=Philips:0.7 category=patient-monitor:0.35  ref=philips-pm
oui:vendor  exact "Philips Healthcare PCCI"  vendor=Philips:0.7 category=medical-other:0.3  ref=ieee-ra
oui:vendor  exact "GE Healthcare"  vendor="GE Healthcare":0.7 category=medical-other:0.4  ref=ge-hc
oui:vendor  exact "DATEX DIVISION OF"  vendor="GE Healthcare":0.6 category=medical-other:0.4  ref=ge-hc
oui:vendor  exact "Draeger Medical Systems, Inc."  vendor=Dräger:0.7 category=medical-other:0.45  ref=draeger
oui:vendor  exact "Draeger Medical"  vendor=Dräger:0.7 category=medical-other:0.45  ref=draeger
oui:vendor  exact "Drägerwerk AG & Co. KG aA"  vendor=Dräger:0.7 category=medical-other:0.45  ref=draeger
oui:vendor  exact "B.Braun Melsungen AG"  vendor="B. Braun":0.7 category=infusion-pump:0.45  ref=bbraun
oui:vendor  exact "Baxter International Inc"  vendor=Baxter:0.7 category=medical-other:0.45  ref=baxter
oui:vendor  exact "Becton, Dickinson and Company"  vendor=BD:0.7 category=medical-other:0.4  ref=bd
oui:vendor  exact "Becton Dickinson"  vendor=BD:0.7 category=medical-other:0.4  ref=bd
oui:vendor  exact "Carefusion"  vendor=BD:0.65 category=medical-other:0.45  ref=bd
oui:vendor  exact "ALARIS MEDICAL SYSTEMS, INC."  vendor=BD:0.6 category=infusion-pump:0.55  ref=alaris
oui:vendor  exact "Alaris, Inc."  vendor=BD:0.6 category=infusion-pump:0.5  ref=alaris
oui:vendor  exact "ICU Medical, Inc."  vendor="ICU Medical":0.7 category=infusion-pump:0.5  ref=icu-medical
oui:vendor  exact "FRESENIUS-VIAL"  vendor="Fresenius Kabi":0.7 category=infusion-pump:0.5  ref=fresenius
oui:vendor  regex /^Fresenius Medical Care.*$/i  vendor="Fresenius Medical Care":0.7 category=dialysis:0.55  ref=fresenius
oui:vendor  prefix "Masimo Corp"  vendor=Masimo:0.7 category=patient-monitor:0.45  ref=monitoring-makers
oui:vendor  regex /^Mindray (?:Co\., Ltd\.|DS USA, Inc\.|North America)$/  vendor=Mindray:0.7 category=patient-monitor:0.45  ref=monitoring-makers
oui:vendor  exact "NIHON KOHDEN AMERICA"  vendor="Nihon Kohden":0.7 category=patient-monitor:0.5  ref=monitoring-makers
oui:vendor  exact "SPACELABS MEDICAL"  vendor=Spacelabs:0.7 category=patient-monitor:0.55  ref=monitoring-makers
oui:vendor  exact "Criticare Systems, Inc"  vendor=Criticare:0.7 category=patient-monitor:0.5  ref=monitoring-makers
oui:vendor  exact "Nonin Medical Inc."  vendor=Nonin:0.7 category=patient-monitor:0.45  ref=monitoring-makers
oui:vendor  exact "Edwards Lifesciences LLC"  vendor="Edwards Lifesciences":0.7 category=patient-monitor:0.4  ref=monitoring-makers
oui:vendor  exact "Welch Allyn, Inc."  vendor="Welch Allyn":0.7 category=patient-monitor:0.45  ref=monitoring-makers
oui:vendor  exact "Hill-Rom"  vendor=Hillrom:0.7 category=medical-other:0.35  ref=therapy-makers
oui:vendor  prefix "Siemens Healthcare Diagnostics"  vendor="Siemens Healthineers":0.7 category=lab-analyzer:0.5  ref=siemens-dx
oui:vendor  exact "Abbott Point of Care"  vendor=Abbott:0.7 category=poc-analyzer:0.55  ref=lab-makers
oui:vendor  prefix "Abbott Diagnostics"  vendor=Abbott:0.7 category=lab-analyzer:0.45  ref=lab-makers
oui:vendor  regex /^(?:Beckman Coulter (?:Inc|K\.K\.)|BECKMAN LAB\. AUTOMATION DIV\.)$/  vendor="Beckman Coulter":0.7 category=lab-analyzer:0.5  ref=lab-makers
oui:vendor  exact "Sysmex Corporation"  vendor=Sysmex:0.7 category=lab-analyzer:0.55  ref=lab-makers
oui:vendor  prefix "Roche Diagnostics"  vendor=Roche:0.7 category=lab-analyzer:0.45  ref=lab-makers
oui:vendor  exact "bioMerieux Inc."  vendor=bioMérieux:0.7 category=lab-analyzer:0.5  ref=lab-makers
oui:vendor  prefix "Carestream"  vendor=Carestream:0.7 category=imaging-xray:0.4  ref=imaging-makers
oui:vendor  exact "FUJIFILM Healthcare Corporation"  vendor=Fujifilm:0.7 category=medical-other:0.35  ref=imaging-makers
oui:vendor  exact "ESAOTE S.p.A."  vendor=Esaote:0.7 category=imaging-us:0.45  ref=imaging-makers
oui:vendor  exact "Medison Co., Ltd."  vendor="Samsung Medison":0.7 category=imaging-us:0.45  ref=imaging-makers
oui:vendor  exact "ZOLL Lifecor Corporation"  vendor=ZOLL:0.7 category=defibrillator:0.5  ref=therapy-makers
oui:vendor  exact "Physio-Control, Inc"  vendor=Physio-Control:0.7 category=defibrillator:0.55  ref=therapy-makers
oui:vendor  exact "Maquet Critical Care AB"  vendor=Getinge:0.7 category=ventilator:0.5  ref=therapy-makers
oui:vendor  regex /^Maquet (?:CardioVascular|Cardiopulmonary AG|GmbH)$/  vendor=Getinge:0.7 category=medical-other:0.4  ref=therapy-makers
oui:vendor  exact "Getinge Sterilization AB"  vendor=Getinge:0.7 category=medical-other:0.35  ref=therapy-makers
oui:vendor  regex /^(?:ResMed Ltd|RESMED PTY LTD)$/  vendor=ResMed:0.7 category=ventilator:0.4  ref=therapy-makers
oui:vendor  exact "Respironics, Inc."  vendor=Philips:0.65 category=ventilator:0.4  ref=therapy-makers
oui:vendor  exact "SCHILLER AG"  vendor=Schiller:0.7 category=medical-other:0.45  ref=therapy-makers
oui:vendor  exact "Mortara Instrument, Inc."  vendor=Mortara:0.7 category=medical-other:0.45  ref=therapy-makers
oui:vendor  regex /^Medtronic(?: CRM| Diabetes)?$/  vendor=Medtronic:0.7 category=medical-other:0.4  ref=therapy-makers
oui:vendor  exact "Intuitive Surgical, Inc"  vendor="Intuitive Surgical":0.7 category=medical-other:0.45  ref=therapy-makers
oui:vendor  exact "Stryker Corporation"  vendor=Stryker:0.7 category=medical-other:0.35  ref=therapy-makers
oui:vendor  exact "Vocera Communications"  vendor=Vocera:0.7 category=voip-phone:0.55  ref=vocera

# ---- IT and IoT makers (canonical spelling; category only for narrow product lines)
oui:vendor  exact "Apple, Inc."  vendor=Apple:0.6  ref=ieee-ra
oui:vendor  regex /^Dell (?:Inc\.|EMC|Technologies)$/  vendor=Dell:0.6  ref=ieee-ra
oui:vendor  regex /^(?:Hewlett Packard|HP Inc\.)$/  vendor=HP:0.6  ref=ieee-ra
oui:vendor  exact "Hewlett Packard Enterprise"  vendor=HPE:0.6  ref=ieee-ra
oui:vendor  exact "Super Micro Computer, Inc."  vendor=Supermicro:0.6  ref=ieee-ra
oui:vendor  regex /^Cisco Systems,? Inc$/  vendor=Cisco:0.6  ref=ieee-ra
oui:vendor  exact "Cisco Meraki"  vendor=Cisco:0.6 category=network-infrastructure:0.5  ref=it-makers
oui:vendor  prefix "Microsoft Corp"  vendor=Microsoft:0.6  ref=ieee-ra
oui:vendor  exact "Google, Inc."  vendor=Google:0.6  ref=ieee-ra
oui:vendor  regex /^Samsung Electronics Co\.,? ?Ltd\.?$/  vendor=Samsung:0.6  ref=ieee-ra
oui:vendor  exact "Axis Communications AB"  vendor=Axis:0.7 category=ip-camera:0.6  ref=it-makers
oui:vendor  exact "Hangzhou Hikvision Digital Technology Co.,Ltd."  vendor=Hikvision:0.7 category=ip-camera:0.6  ref=it-makers
oui:vendor  exact "Polycom"  vendor=Polycom:0.7 category=voip-phone:0.5  ref=it-makers
oui:vendor  regex /^(?:Avaya Inc|Mitel Networks Corporation|MITEL CORPORATION|Mitel Corporation)$/  category=voip-phone:0.4  ref=it-makers
oui:vendor  regex /^(?:Spectralink|SpectraLink)(?: Corporation)?$/  vendor=Spectralink:0.7 category=voip-phone:0.6  ref=it-makers
oui:vendor  regex /^Brother [Ii]ndustries, LTD\.$/  vendor=Brother:0.7 category=printer:0.55  ref=it-makers
oui:vendor  exact "LEXMARK INTERNATIONAL, INC."  vendor=Lexmark:0.7 category=printer:0.6  ref=it-makers
oui:vendor  exact "XEROX CORPORATION"  vendor=Xerox:0.7 category=printer:0.55  ref=it-makers
oui:vendor  exact "KYOCERA Document Solutions Inc."  vendor=Kyocera:0.7 category=printer:0.6  ref=it-makers
oui:vendor  prefix "RICOH COMPANY"  vendor=Ricoh:0.7 category=printer:0.5  ref=it-makers
oui:vendor  exact "Synology Incorporated"  vendor=Synology:0.7 category=server:0.5  ref=it-makers
oui:vendor  exact "QNAP Systems, Inc."  vendor=QNAP:0.7 category=server:0.5  ref=it-makers
oui:vendor  exact "Routerboard.com"  vendor=MikroTik:0.7 category=network-infrastructure:0.6  ref=it-makers
oui:vendor  exact "Juniper Networks"  vendor=Juniper:0.7 category=network-infrastructure:0.6  ref=it-makers
oui:vendor  regex /^Arista Networks(?:, Inc\.)?$/  vendor=Arista:0.7 category=network-infrastructure:0.7  ref=it-makers
oui:vendor  exact "Fortinet, Inc."  vendor=Fortinet:0.7 category=network-infrastructure:0.6  ref=it-makers
oui:vendor  exact "Palo Alto Networks"  vendor="Palo Alto Networks":0.7 category=network-infrastructure:0.7  ref=it-makers
oui:vendor  regex /^Raspberry Pi (?:Foundation|Trading Ltd|\(Trading\) Ltd)$/  vendor="Raspberry Pi":0.7 category=iot-other:0.35  ref=it-makers
oui:vendor  exact "Tuya Smart Inc."  vendor=Tuya:0.6 category=iot-other:0.55  ref=it-makers
oui:vendor  exact "Sonos, Inc."  vendor=Sonos:0.7 category=iot-other:0.55  ref=it-makers
