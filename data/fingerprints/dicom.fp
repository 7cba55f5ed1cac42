# medtap fingerprint knowledge — DICOM implementation identity
@purpose Map the Implementation Class UID of an A-ASSOCIATE-RQ/AC (fact dicom_implementation_class_uid, PS3.7 D.3.3.2) under a medical vendor's UID root to that vendor's canonical spelling. The roots are those of kind "vendor" in data/dicom/implementation-class-uids.tsv (a test checks every one has a rule here); toolkit roots (DCMTK, dcm4che, …) name software, not a maker, and give no vendor.
@licence Apache-2.0 (written for medtap)
#
# Confidence 0.8: the implementation class UID is the device's own software announcing itself, under its maker's
# registered root; below the certainty of a register because a vendor's workstation software may run on third-party
# hardware (that hardware then also shows in the OUI vendor claim, and both stay in the evidence trail).

@ref dicom-roots Vendor UID roots of data/dicom/implementation-class-uids.tsv (each row cites its public source: organisation root registrations, vendor private SOP classes in the dcm4che and fo-dicom UID dictionaries, pydicom test files)

dicom_implementation_class_uid  prefix "1.2.840.113619."  vendor="GE Healthcare":0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.3.12.2.1107."  vendor="Siemens Healthineers":0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.3.46.670589."  vendor=Philips:0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.2.392.200036.9116."  vendor="Canon Medical":0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.2.392.200036.9125."  vendor=Fujifilm:0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.2.124.113532."  vendor=Agfa:0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.2.840.113564."  vendor=Carestream:0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.2.840.113681."  vendor=Hologic:0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.2.840.114340."  vendor=Fujifilm:0.8  ref=dicom-roots
dicom_implementation_class_uid  prefix "1.3.76.13."  vendor=Mortara:0.8  ref=dicom-roots
