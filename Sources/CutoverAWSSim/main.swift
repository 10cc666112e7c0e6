// cutover-aws-sim: serves the AWS simulator on a loopback port (being built for issue 3).
import AWSSimulator
print("cutover-aws-sim: the HTTP front end is being built (issue 3)")
