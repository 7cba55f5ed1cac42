# medtap fingerprint knowledge — POCT1-A device Hello
@purpose Take the maker and model a point-of-care device states in its POCT1-A Hello (HEL.R01 DEV object: facts poct1a_manufacturer, poct1a_model_id) as vendor and model claims. The device describes itself, but a docking station may lend its MAC (poct1a-identity.ts), hence below certainty.
@licence Apache-2.0 (written for medtap)

@ref poct1a-dev CLSI POCT1-A2 Device Messaging Layer, Hello (HEL.R01): DEV.manufacturer_name, DEV.model_id are the device's own identification

poct1a_manufacturer  regex /^(.{2,64})$/  vendor=$1:0.65  ref=poct1a-dev
poct1a_model_id  regex /^(.{1,64})$/  model=$1:0.8  ref=poct1a-dev
