// A plain Lambda handler for examples/asl/hello-handlers.asl.json.
export async function handler(event) {
  if (typeof event.name !== 'string' || event.name === '') {
    const error = new Error('name must be a non-empty string');
    error.name = 'Greeter.InvalidName';
    throw error;
  }
  return { greeting: `Hello, ${event.name}!` };
}
