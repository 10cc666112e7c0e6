// The S3, RDS, STS and KMS operations; see S3/, RDS/, STS/, KMS/.
@_exported import AWSClient
