import type { Severity } from '../../core/finding.ts';
import { defineRule, type RuleDescriptor } from '../../core/rules.ts';

/** buf's breaking-change categories, from the strictest about generated code to the loosest. */
export type BufCategory = 'FILE' | 'PACKAGE' | 'WIRE_JSON' | 'WIRE';

/** What a rule's violation breaks for existing clients, most severe first. */
export type Impact = 'wire' | 'json' | 'code';

export interface BufRule {
  /** buf's rule id, e.g. FIELD_NO_DELETE. */
  id: string;
  categories: readonly BufCategory[];
  title: string;
  /** The specific part of "what breaks for clients", after the impact's own words. */
  breaks: string;
  fix: string;
}

const F: BufCategory[] = ['FILE'];
const FP: BufCategory[] = ['FILE', 'PACKAGE'];
const FPJ: BufCategory[] = ['FILE', 'PACKAGE', 'WIRE_JSON'];
const ALL: BufCategory[] = ['FILE', 'PACKAGE', 'WIRE_JSON', 'WIRE'];
const J: BufCategory[] = ['WIRE_JSON'];
const JW: BufCategory[] = ['WIRE_JSON', 'WIRE'];
const W: BufCategory[] = ['WIRE'];
const P: BufCategory[] = ['PACKAGE'];

const RESTORE =
  'Restore it; to retire it, mark it deprecated first (`option deprecated = true;`) and delete it once no client uses it.';
const RESTORE_NUMBERED =
  'Restore it; to retire it, mark it deprecated first and, once no client uses it, delete it and add its number and name to `reserved`.';
const REVERT =
  'Revert this change and add a new element (field, value, RPC or message) with the new shape instead; move clients over, then deprecate the old one.';
const OPTION =
  'Keep the previous value of this option; changing it renames or moves the generated code, which every consumer must then change at once.';

/** Every non-deprecated breaking rule of buf 1.75.0 (deprecated ids in a buf.yaml expand to these). */
export const BUF_RULES: readonly BufRule[] = [
  {
    id: 'ENUM_NO_DELETE',
    categories: F,
    title: 'Enum deleted from a file',
    breaks: 'code that names the enum no longer compiles',
    fix: RESTORE,
  },
  {
    id: 'ENUM_SAME_JSON_FORMAT',
    categories: FPJ,
    title: 'Enum JSON format support changed',
    breaks: 'clients encoding the enum as JSON now fail or read it differently',
    fix: 'Keep `features.json_format` as it was for this enum.',
  },
  {
    id: 'ENUM_SAME_TYPE',
    categories: FP,
    title: 'Enum changed between open and closed',
    breaks: 'unknown values are handled differently by generated code',
    fix: 'Keep `features.enum_type` (or the syntax) as it was for this enum.',
  },
  {
    id: 'ENUM_VALUE_NO_DELETE',
    categories: FP,
    title: 'Enum value deleted',
    breaks:
      'code that names the value no longer compiles, and old senders still send it',
    fix: RESTORE_NUMBERED,
  },
  {
    id: 'ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED',
    categories: J,
    title: 'Enum value deleted without reserving its name',
    breaks:
      'JSON carries enum values by name; the name can be reused for another value',
    fix: "Add the deleted value's name to the enum's `reserved` list.",
  },
  {
    id: 'ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED',
    categories: JW,
    title: 'Enum value deleted without reserving its number',
    breaks:
      'the number can be reused for a different value that old clients read as the deleted one',
    fix: "Add the deleted value's number to the enum's `reserved` list.",
  },
  {
    id: 'ENUM_VALUE_SAME_NAME',
    categories: FPJ,
    title: 'Enum value renamed',
    breaks:
      'JSON carries enum values by name, so old JSON no longer parses; code using the old name no longer compiles',
    fix: 'Keep the old name; add `option allow_alias = true` and a new value with the same number if a new name is needed.',
  },
  {
    id: 'EXTENSION_MESSAGE_NO_DELETE',
    categories: FP,
    title: 'Extension range deleted from a message',
    breaks: 'extensions defined against the message no longer compile',
    fix: 'Restore the extension range.',
  },
  {
    id: 'EXTENSION_NO_DELETE',
    categories: F,
    title: 'Extension deleted from a file',
    breaks: 'code that sets or reads the extension no longer compiles',
    fix: RESTORE,
  },
  {
    id: 'FIELD_NO_DELETE',
    categories: FP,
    title: 'Field deleted',
    breaks:
      'code reading the field no longer compiles, and its number can be reused for something old clients misread',
    fix: RESTORE_NUMBERED,
  },
  {
    id: 'FIELD_NO_DELETE_UNLESS_NAME_RESERVED',
    categories: J,
    title: 'Field deleted without reserving its name',
    breaks:
      'JSON carries fields by name; a later field with this name would be misread by old clients',
    fix: "Add the deleted field's name to the message's `reserved` list.",
  },
  {
    id: 'FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED',
    categories: JW,
    title: 'Field deleted without reserving its number',
    breaks:
      'a later field with this number would be decoded by old clients as the deleted one',
    fix: "Add the deleted field's number to the message's `reserved` list.",
  },
  {
    id: 'FIELD_SAME_CARDINALITY',
    categories: FP,
    title: 'Field cardinality changed',
    breaks:
      'the generated accessors change (optional, repeated, map or required), so client code no longer compiles',
    fix: REVERT,
  },
  {
    id: 'FIELD_SAME_CPP_STRING_TYPE',
    categories: FP,
    title: 'Field C++ string type changed',
    breaks: 'the generated C++ accessors change type',
    fix: "Keep the field's `ctype` / `features.(pb.cpp).string_type` as it was.",
  },
  {
    id: 'FIELD_SAME_DEFAULT',
    categories: ALL,
    title: 'Field default value changed',
    breaks:
      'a field left unset now reads as a different value on one side than on the other',
    fix: 'Keep the old default; add a new field if the default must differ.',
  },
  {
    id: 'FIELD_SAME_JAVA_UTF8_VALIDATION',
    categories: FP,
    title: 'Field Java UTF-8 validation changed',
    breaks: 'Java clients start or stop rejecting invalid UTF-8 in this field',
    fix: 'Keep `java_string_check_utf8` / `features.(pb.java).utf8_validation` as it was.',
  },
  {
    id: 'FIELD_SAME_JSON_NAME',
    categories: FPJ,
    title: 'Field JSON name changed',
    breaks:
      'JSON written with the old name is ignored by new readers and vice versa',
    fix: 'Keep the old `json_name`.',
  },
  {
    id: 'FIELD_SAME_JSTYPE',
    categories: FP,
    title: 'Field JavaScript type changed',
    breaks:
      'generated JavaScript represents the 64-bit value as a different type',
    fix: "Keep the field's `jstype` as it was.",
  },
  {
    id: 'FIELD_SAME_NAME',
    categories: FPJ,
    title: 'Field renamed',
    breaks:
      'JSON carries fields by name, so old JSON is silently dropped; code using the old name no longer compiles',
    fix: 'Keep the old name; add a new field (new number) with the new name if it matters, then deprecate the old one.',
  },
  {
    id: 'FIELD_SAME_ONEOF',
    categories: ALL,
    title: 'Field moved into or out of a oneof',
    breaks:
      'setting one member now clears the others (or no longer does), and the generated accessors change',
    fix: REVERT,
  },
  {
    id: 'FIELD_SAME_TYPE',
    categories: FP,
    title: 'Field type changed',
    breaks:
      'the generated field type changes, so client code no longer compiles; unless the two types share a wire encoding (int32 and int64, say), old clients also misread the bytes',
    fix: REVERT,
  },
  {
    id: 'FIELD_SAME_UTF8_VALIDATION',
    categories: FP,
    title: 'Field UTF-8 validation changed',
    breaks:
      'clients start or stop rejecting messages with invalid UTF-8 in this field',
    fix: 'Keep `features.utf8_validation` as it was.',
  },
  {
    id: 'FIELD_WIRE_COMPATIBLE_CARDINALITY',
    categories: W,
    title: 'Field cardinality changed incompatibly for the wire',
    breaks: "old clients can no longer decode the field's binary encoding",
    fix: REVERT,
  },
  {
    id: 'FIELD_WIRE_COMPATIBLE_TYPE',
    categories: W,
    title: 'Field type changed incompatibly for the wire',
    breaks: "old clients decode the field's bytes as the old type",
    fix: REVERT,
  },
  {
    id: 'FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY',
    categories: J,
    title: 'Field cardinality changed incompatibly for JSON',
    breaks: "the field's JSON shape (single value, array or object) changes",
    fix: REVERT,
  },
  {
    id: 'FIELD_WIRE_JSON_COMPATIBLE_TYPE',
    categories: J,
    title: 'Field type changed incompatibly for JSON',
    breaks: "the field's JSON representation changes",
    fix: REVERT,
  },
  {
    id: 'FILE_NO_DELETE',
    categories: F,
    title: 'Proto file deleted',
    breaks: 'everything it declared is gone for clients that import it',
    fix: 'Restore the file; deprecate its contents first and delete it once nothing imports it.',
  },
  {
    id: 'FILE_SAME_CC_ENABLE_ARENAS',
    categories: FP,
    title: 'cc_enable_arenas changed',
    breaks: 'generated C++ code changes its allocation API',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_CC_GENERIC_SERVICES',
    categories: FP,
    title: 'cc_generic_services changed',
    breaks: 'generated C++ service classes appear or disappear',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_CSHARP_NAMESPACE',
    categories: FP,
    title: 'csharp_namespace changed',
    breaks: 'generated C# types move to another namespace',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_GO_PACKAGE',
    categories: FP,
    title: 'go_package changed',
    breaks: 'generated Go code moves to another import path',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_JAVA_GENERIC_SERVICES',
    categories: FP,
    title: 'java_generic_services changed',
    breaks: 'generated Java service classes appear or disappear',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_JAVA_MULTIPLE_FILES',
    categories: FP,
    title: 'java_multiple_files changed',
    breaks: 'generated Java classes move in or out of the outer class',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_JAVA_OUTER_CLASSNAME',
    categories: FP,
    title: 'java_outer_classname changed',
    breaks: 'the generated Java outer class is renamed',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_JAVA_PACKAGE',
    categories: FP,
    title: 'java_package changed',
    breaks: 'generated Java classes move to another package',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_OBJC_CLASS_PREFIX',
    categories: FP,
    title: 'objc_class_prefix changed',
    breaks: 'generated Objective-C classes are renamed',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_OPTIMIZE_FOR',
    categories: FP,
    title: 'optimize_for changed',
    breaks: 'generated code gains or loses its reflection and descriptor APIs',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_PACKAGE',
    categories: ALL,
    title: 'Proto package changed',
    breaks:
      'every fully qualified name changes: RPC paths, Any type URLs and generated code',
    fix: 'Keep the package; copy the definitions into a new versioned package instead and migrate clients.',
  },
  {
    id: 'FILE_SAME_PHP_CLASS_PREFIX',
    categories: FP,
    title: 'php_class_prefix changed',
    breaks: 'generated PHP classes are renamed',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_PHP_METADATA_NAMESPACE',
    categories: FP,
    title: 'php_metadata_namespace changed',
    breaks: 'generated PHP metadata classes move',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_PHP_NAMESPACE',
    categories: FP,
    title: 'php_namespace changed',
    breaks: 'generated PHP classes move to another namespace',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_PY_GENERIC_SERVICES',
    categories: FP,
    title: 'py_generic_services changed',
    breaks: 'generated Python service classes appear or disappear',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_RUBY_PACKAGE',
    categories: FP,
    title: 'ruby_package changed',
    breaks: 'generated Ruby classes move to another module',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_SWIFT_PREFIX',
    categories: FP,
    title: 'swift_prefix changed',
    breaks: 'generated Swift types are renamed',
    fix: OPTION,
  },
  {
    id: 'FILE_SAME_SYNTAX',
    categories: FP,
    title: 'Proto syntax or edition changed',
    breaks:
      'field presence, defaults and enum semantics of generated code can change',
    fix: 'Keep the syntax; if moving to editions, set features so that every element keeps its old behaviour.',
  },
  {
    id: 'MESSAGE_NO_DELETE',
    categories: F,
    title: 'Message deleted',
    breaks:
      'code that uses the message no longer compiles, and RPCs or fields typed with it break',
    fix: RESTORE,
  },
  {
    id: 'MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR',
    categories: FP,
    title: 'Standard descriptor accessor removed',
    breaks: 'generated code loses its `descriptor()` accessor',
    fix: 'Remove `no_standard_descriptor_accessor = true` again.',
  },
  {
    id: 'MESSAGE_SAME_JSON_FORMAT',
    categories: FPJ,
    title: 'Message JSON format support changed',
    breaks:
      'clients encoding the message as JSON now fail or read it differently',
    fix: 'Keep `features.json_format` as it was for this message.',
  },
  {
    id: 'MESSAGE_SAME_REQUIRED_FIELDS',
    categories: ALL,
    title: 'Required fields of a message changed',
    breaks:
      'messages without the newly required field, or from senders unaware of it, fail to parse',
    fix: 'Do not add or remove required fields; add an optional field and validate it in the service instead.',
  },
  {
    id: 'ONEOF_NO_DELETE',
    categories: FP,
    title: 'Oneof deleted',
    breaks: "code using the oneof's case accessors no longer compiles",
    fix: RESTORE,
  },
  {
    id: 'PACKAGE_ENUM_NO_DELETE',
    categories: P,
    title: 'Enum deleted from its package',
    breaks: 'code that names the enum no longer compiles',
    fix: RESTORE,
  },
  {
    id: 'PACKAGE_EXTENSION_NO_DELETE',
    categories: P,
    title: 'Extension deleted from its package',
    breaks: 'code that sets or reads the extension no longer compiles',
    fix: RESTORE,
  },
  {
    id: 'PACKAGE_MESSAGE_NO_DELETE',
    categories: P,
    title: 'Message deleted from its package',
    breaks: 'code that uses the message no longer compiles',
    fix: RESTORE,
  },
  {
    id: 'PACKAGE_NO_DELETE',
    categories: P,
    title: 'Proto package deleted',
    breaks: 'everything in the package is gone for its clients',
    fix: 'Restore the package; deprecate it first and delete it once no client uses it.',
  },
  {
    id: 'PACKAGE_SERVICE_NO_DELETE',
    categories: P,
    title: 'Service deleted from its package',
    breaks: 'every call to the service fails with UNIMPLEMENTED',
    fix: RESTORE,
  },
  {
    id: 'RESERVED_ENUM_NO_DELETE',
    categories: ALL,
    title: 'Reserved enum range or name removed',
    breaks:
      'a retired value number or name may be reused and misread by old clients',
    fix: 'Keep the reservation.',
  },
  {
    id: 'RESERVED_MESSAGE_NO_DELETE',
    categories: ALL,
    title: 'Reserved field range or name removed',
    breaks:
      'a retired field number or name may be reused and misread by old clients',
    fix: 'Keep the reservation.',
  },
  {
    id: 'RPC_NO_DELETE',
    categories: FP,
    title: 'RPC deleted',
    breaks: 'every call to the method fails with UNIMPLEMENTED',
    fix: RESTORE,
  },
  {
    id: 'RPC_SAME_CLIENT_STREAMING',
    categories: ALL,
    title: 'RPC client streaming changed',
    breaks: 'existing callers use the wrong call shape and fail',
    fix: 'Add a new RPC with the new streaming shape instead.',
  },
  {
    id: 'RPC_SAME_IDEMPOTENCY_LEVEL',
    categories: ALL,
    title: 'RPC idempotency level changed',
    breaks:
      'Connect clients switch between GET and POST, and retry policies change',
    fix: 'Keep the `idempotency_level`; add a new RPC if it must change.',
  },
  {
    id: 'RPC_SAME_REQUEST_TYPE',
    categories: ALL,
    title: 'RPC request type changed',
    breaks:
      'existing callers send a message the server decodes as another type',
    fix: 'Add a new RPC with the new request type instead.',
  },
  {
    id: 'RPC_SAME_RESPONSE_TYPE',
    categories: ALL,
    title: 'RPC response type changed',
    breaks: 'existing callers decode the response as the wrong type',
    fix: 'Add a new RPC with the new response type instead.',
  },
  {
    id: 'RPC_SAME_SERVER_STREAMING',
    categories: ALL,
    title: 'RPC server streaming changed',
    breaks: 'existing callers expect the wrong response shape and fail',
    fix: 'Add a new RPC with the new streaming shape instead.',
  },
  {
    id: 'SERVICE_NO_DELETE',
    categories: F,
    title: 'Service deleted',
    breaks: 'every call to the service fails with UNIMPLEMENTED',
    fix: RESTORE,
  },
];

const BY_ID = new Map(BUF_RULES.map((rule) => [rule.id, rule]));

export function bufRule(id: string): BufRule | undefined {
  return BY_ID.get(id);
}

/** Wire first: breaking the binary encoding breaks every client; JSON breaks JSON clients; the rest breaks generated code. */
export function impactOf(rule: BufRule): Impact {
  return rule.categories.includes('WIRE')
    ? 'wire'
    : rule.categories.includes('WIRE_JSON')
      ? 'json'
      : 'code';
}

/** Options that only rename or move generated code are medium; everything that changes what clients send or can call is high. */
export function bufSeverity(rule: BufRule): Severity {
  return /^FILE_SAME_(?!PACKAGE$|SYNTAX$)/.test(rule.id) ||
    /^FIELD_SAME_(CPP_STRING_TYPE|JAVA_UTF8_VALIDATION|JSTYPE)$/.test(rule.id)
    ? 'medium'
    : 'high';
}

/** buf's FIELD_NO_DELETE is reported as `api-contract/protobuf-field-no-delete`. */
export function protobufRuleId(bufId: string): string {
  return `api-contract/protobuf-${bufId.toLowerCase().replaceAll('_', '-')}`;
}

/** A rule buf reported that this table does not know (a check plugin or policy rule). */
export const PROTOBUF_OTHER_BREAKING: RuleDescriptor = defineRule({
  id: 'api-contract/protobuf-other-breaking-change',
  severity: 'high',
  title: 'Breaking protobuf change reported by a buf plugin or policy rule',
  appliesTo: { fileKinds: ['protobuf'] },
});

export const PROTOBUF_GENERATED_EDITED: RuleDescriptor = defineRule({
  id: 'api-contract/protobuf-generated-code-edited',
  severity: 'medium',
  title: 'Generated protobuf code changed without its .proto file',
  appliesTo: { fileKinds: ['protobuf'] },
});

export const PROTOBUF_GENERATED_NOT_UPDATED: RuleDescriptor = defineRule({
  id: 'api-contract/protobuf-generated-code-not-updated',
  severity: 'low',
  title: '.proto file changed without its committed generated code',
  appliesTo: { fileKinds: ['protobuf'] },
});

export const rules: RuleDescriptor[] = [
  ...BUF_RULES.map(
    (rule): RuleDescriptor =>
      defineRule({
        id: protobufRuleId(rule.id),
        severity: bufSeverity(rule),
        title: rule.title,
        appliesTo: { fileKinds: ['protobuf'] },
      }),
  ),
  PROTOBUF_OTHER_BREAKING,
  PROTOBUF_GENERATED_EDITED,
  PROTOBUF_GENERATED_NOT_UPDATED,
];
