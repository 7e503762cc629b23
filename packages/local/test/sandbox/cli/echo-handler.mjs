// A Lambda handler returning its event, for the cloud assembly run test.
export const handler = async (event) => event;
