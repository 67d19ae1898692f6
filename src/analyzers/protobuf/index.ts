export {
  createProtobufAnalyzer,
  PROTOBUF_ANALYZER_NAME,
  type ProtobufAnalyzerOptions,
} from './analyzer.ts';
export { bufBinaryPath } from './run-buf.ts';
export { BUF_RULES, protobufRuleId, rules } from './rules.ts';
