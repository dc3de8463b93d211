/** The HTTP status of a failed S3 call (the SDK puts it on every service error). */
export function s3Status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

export function isS3NotFound(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return s3Status(error) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}
