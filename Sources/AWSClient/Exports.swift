// AWSCredentials and the signer types are part of the client's API.
@_exported import AWSSigV4
