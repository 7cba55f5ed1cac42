# medtap fingerprint knowledge — Philips IntelliVue Data Export self-descriptions
@purpose Derive vendor, model, category and software from the MDS attributes an IntelliVue patient monitor reports over its Data Export protocol (System Model, Production Specification) and from the role a host plays in it.
@licence Apache-2.0 (written for medtap from the cited documentation)

@ref iv-guide Philips "IntelliVue Patient Monitor Data Export Interface Programming Guide": the Data Export protocol (Connect Indication on UDP 24005, association and polling on the port of its Protocol Support attribute) is served by IntelliVue patient monitors (MP and MX series, X2/X3 measurement modules); System Model = manufacturer + model number, Production Specification SW_REVISION = the monitor software revision
@ref iv-products Philips IntelliVue product documentation (Instructions for Use, Service Guides) as recalled, NOT checked against a fetched document (confidence kept at 0.9 of a model name; verify before relying on it): product numbers M8001A MP20, M8002A MP30, M8003A MP40, M8004A MP50, M8005A MP60, M8007A MP70, M8008A MP80, M8010A MP90, M3002A X2, 865240 MX800, 866062 MX450, 866064 MX500, 866066 MX550

# ---- the role: only IntelliVue monitors serve the Data Export protocol
intellivue:intellivue_role  exact "monitor"  vendor=Philips:0.8 category=patient-monitor:0.8  ref=iv-guide

# ---- System Model
intellivue_manufacturer  regex /^Philips(?: .*)?$/i  vendor=Philips:0.95  ref=iv-guide
intellivue_model  exact "M8001A"  model="IntelliVue MP20":0.9  ref=iv-products
intellivue_model  exact "M8002A"  model="IntelliVue MP30":0.9  ref=iv-products
intellivue_model  exact "M8003A"  model="IntelliVue MP40":0.9  ref=iv-products
intellivue_model  exact "M8004A"  model="IntelliVue MP50":0.9  ref=iv-products
intellivue_model  exact "M8005A"  model="IntelliVue MP60":0.9  ref=iv-products
intellivue_model  exact "M8007A"  model="IntelliVue MP70":0.9  ref=iv-products
intellivue_model  exact "M8008A"  model="IntelliVue MP80":0.9  ref=iv-products
intellivue_model  exact "M8010A"  model="IntelliVue MP90":0.9  ref=iv-products
intellivue_model  exact "M3002A"  model="IntelliVue X2":0.9  ref=iv-products
intellivue_model  exact "865240"  model="IntelliVue MX800":0.9  ref=iv-products
intellivue_model  exact "866062"  model="IntelliVue MX450":0.9  ref=iv-products
intellivue_model  exact "866064"  model="IntelliVue MX500":0.9  ref=iv-products
intellivue_model  exact "866066"  model="IntelliVue MX550":0.9  ref=iv-products
intellivue_model  regex /^(MP\d{1,2}|MX\d{2,3}|X[23])$/  model="IntelliVue $1":0.85  ref=iv-products
intellivue_model  regex /^([!-~]{1,32})$/  model=$1:0.6  ref=iv-guide

# ---- Production Specification
intellivue_sw_revision  regex /^([!-~]{1,32})$/  software=IntelliVue/$1:0.8  ref=iv-guide
