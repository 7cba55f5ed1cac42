/**
 * The kinds of protected health information (PHI) each field of the HL7 v2 patient-administration segments holds,
 * by field number. The HL7 parser records only which kinds are present (a field is present when it is non-empty and
 * not the HL7 null `""`), never a value: e.g. "PID:name", "PID:dob", "PID:mrn", "PID:address".
 *
 * Field numbers and names: HL7 v2.5.1 §3.4.2 PID (Patient Identification), §3.4.3 PV1 (Patient Visit), §3.4.5 NK1
 * (Next of Kin / Associated Parties), §6.5.5 GT1 (Guarantor), §6.5.6 IN1 (Insurance); the same numbers hold in
 * v2.3 – v2.9 (later versions only add fields or withdraw some, which keep their numbers). A non-empty field not in
 * the table (withdrawn, added later, or site-specific) is reported as the kind `other`; the set ID (field 1) is a
 * counter, not PHI, and is not reported.
 */

/** Segments whose fields are PHI, each field number → kind. */
export const PHI_FIELDS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  PID: {
    2: 'patient_id', 3: 'mrn', 4: 'alternate_patient_id', 5: 'name', 6: 'mothers_maiden_name', 7: 'dob', 8: 'sex',
    9: 'alias', 10: 'race', 11: 'address', 12: 'county', 13: 'home_phone', 14: 'business_phone', 15: 'language',
    16: 'marital_status', 17: 'religion', 18: 'account_number', 19: 'ssn', 20: 'drivers_license',
    21: 'mothers_identifier', 22: 'ethnic_group', 23: 'birth_place', 24: 'multiple_birth', 25: 'birth_order',
    26: 'citizenship', 27: 'veteran_status', 28: 'nationality', 29: 'death_date', 30: 'death_indicator',
    31: 'identity_unknown', 32: 'identity_reliability', 33: 'last_update', 34: 'last_update_facility', 35: 'species',
    36: 'breed', 37: 'strain', 38: 'production_class', 39: 'tribal_citizenship',
  },
  PV1: {
    2: 'patient_class', 3: 'location', 4: 'admission_type', 5: 'preadmit_number', 6: 'prior_location',
    7: 'attending_doctor', 8: 'referring_doctor', 9: 'consulting_doctor', 10: 'hospital_service',
    11: 'temporary_location', 12: 'preadmit_test', 13: 're_admission', 14: 'admit_source', 15: 'ambulatory_status',
    16: 'vip', 17: 'admitting_doctor', 18: 'patient_type', 19: 'visit_number', 20: 'financial_class',
    21: 'charge_price', 22: 'courtesy_code', 23: 'credit_rating', 24: 'contract_code', 25: 'contract_date',
    26: 'contract_amount', 27: 'contract_period', 28: 'interest_code', 29: 'bad_debt_code', 30: 'bad_debt_date',
    31: 'bad_debt_agency', 32: 'bad_debt_amount', 33: 'bad_debt_recovery', 34: 'delete_account',
    35: 'delete_account_date', 36: 'discharge_disposition', 37: 'discharged_to', 38: 'diet_type',
    39: 'servicing_facility', 40: 'bed_status', 41: 'account_status', 42: 'pending_location',
    43: 'prior_temporary_location', 44: 'admit_datetime', 45: 'discharge_datetime', 46: 'current_balance',
    47: 'total_charges', 48: 'total_adjustments', 49: 'total_payments', 50: 'alternate_visit_id',
    51: 'visit_indicator', 52: 'other_provider',
  },
  NK1: {
    2: 'name', 3: 'relationship', 4: 'address', 5: 'phone', 6: 'business_phone', 7: 'contact_role', 8: 'start_date',
    9: 'end_date', 10: 'job_title', 11: 'job_code', 12: 'employee_number', 13: 'organization_name',
    14: 'marital_status', 15: 'sex', 16: 'dob', 17: 'living_dependency', 18: 'ambulatory_status', 19: 'citizenship',
    20: 'language', 21: 'living_arrangement', 22: 'publicity_code', 23: 'protection_indicator', 24: 'student',
    25: 'religion', 26: 'mothers_maiden_name', 27: 'nationality', 28: 'ethnic_group', 29: 'contact_reason',
    30: 'contact_person_name', 31: 'contact_person_phone', 32: 'contact_person_address', 33: 'identifiers',
    34: 'job_status', 35: 'race', 36: 'handicap', 37: 'ssn', 38: 'birth_place', 39: 'vip',
  },
  GT1: {
    2: 'guarantor_number', 3: 'name', 4: 'spouse_name', 5: 'address', 6: 'home_phone', 7: 'business_phone', 8: 'dob',
    9: 'sex', 10: 'type', 11: 'relationship', 12: 'ssn', 13: 'begin_date', 14: 'end_date', 15: 'priority',
    16: 'employer_name', 17: 'employer_address', 18: 'employer_phone', 19: 'employee_id', 20: 'employment_status',
    21: 'organization_name', 22: 'billing_hold', 23: 'credit_rating', 24: 'death_date', 25: 'death_flag',
    26: 'charge_adjustment', 27: 'household_income', 28: 'household_size', 29: 'employer_id', 30: 'marital_status',
    31: 'hire_date', 32: 'employment_stop_date', 33: 'living_dependency', 34: 'ambulatory_status',
    35: 'citizenship', 36: 'language', 37: 'living_arrangement', 38: 'publicity_code', 39: 'protection_indicator',
    40: 'student', 41: 'religion', 42: 'mothers_maiden_name', 43: 'nationality', 44: 'ethnic_group',
    45: 'contact_person_name', 46: 'contact_person_phone', 47: 'contact_reason', 48: 'contact_relationship',
    49: 'job_title', 50: 'job_code', 51: 'employer_organization', 52: 'handicap', 53: 'job_status',
    54: 'financial_class', 55: 'race', 56: 'birth_place', 57: 'vip',
  },
  IN1: {
    2: 'plan_id', 3: 'company_id', 4: 'company_name', 5: 'company_address', 6: 'company_contact', 7: 'company_phone',
    8: 'group_number', 9: 'group_name', 10: 'group_employer_id', 11: 'group_employer_name', 12: 'plan_effective_date',
    13: 'plan_expiration_date', 14: 'authorization', 15: 'plan_type', 16: 'insured_name', 17: 'insured_relationship',
    18: 'insured_dob', 19: 'insured_address', 20: 'assignment_of_benefits', 21: 'coordination_of_benefits',
    22: 'coordination_priority', 23: 'notice_of_admission', 24: 'notice_of_admission_date', 25: 'eligibility_report',
    26: 'eligibility_report_date', 27: 'release_of_information', 28: 'pre_admit_cert', 29: 'verification_datetime',
    30: 'verification_by', 31: 'agreement_type', 32: 'billing_status', 33: 'lifetime_reserve_days',
    34: 'delay_before_reserve_day', 35: 'company_plan_code', 36: 'policy_number', 37: 'policy_deductible',
    38: 'policy_limit_amount', 39: 'policy_limit_days', 40: 'room_rate_semi_private', 41: 'room_rate_private',
    42: 'insured_employment_status', 43: 'insured_sex', 44: 'insured_employer_address', 45: 'verification_status',
    46: 'prior_plan_id', 47: 'coverage_type', 48: 'handicap', 49: 'insured_id', 50: 'signature_code',
    51: 'signature_date', 52: 'insured_birth_place', 53: 'vip',
  },
};

/** The PHI kind of field `n` of `segment` (a PHI_FIELDS key): its table entry, `other` when unlisted, null for the set ID. */
export function phiKind(segment: string, n: number): string | null {
  if (n <= 1) return null;
  return PHI_FIELDS[segment]?.[n] ?? 'other';
}
