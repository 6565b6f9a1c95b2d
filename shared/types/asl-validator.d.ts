// asl-validator 4 ships no type definitions; this is the part of its API we call.
declare module 'asl-validator' {
  interface AslValidationError {
    'Error code': string;
    Message: string;
  }
  interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  /** Validates a state machine definition. It adds defaults to the object it is given, so pass a copy. */
  function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): { isValid: boolean; errors: AslValidationError[]; errorsText(separator?: string): string };
  export = aslValidator;
}
